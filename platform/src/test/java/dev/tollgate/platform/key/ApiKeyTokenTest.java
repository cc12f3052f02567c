package dev.tollgate.platform.key;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeyTokenTest {

    @Test
    void generatedKeysRoundTripThroughParse() {
        ApiKeyToken token = ApiKeyToken.generate();
        assertTrue(token.value().matches("tg_[0-9A-Za-z]{12}_[0-9A-Za-z]{40}"));
        assertEquals(token, ApiKeyToken.parse(token.value()).orElseThrow());
        assertNotEquals(token.secret(), token.withNewSecret().secret());
        assertEquals(token.publicId(), token.withNewSecret().publicId());
    }

    @Test
    void rejectsMalformedKeys() {
        String good = ApiKeyToken.generate().value();
        assertFalse(ApiKeyToken.parse(null).isPresent());
        assertFalse(ApiKeyToken.parse("").isPresent());
        assertFalse(ApiKeyToken.parse("sk-" + good.substring(3)).isPresent());
        assertFalse(ApiKeyToken.parse(good + "x").isPresent());
        assertFalse(ApiKeyToken.parse(good.substring(0, 15) + "-" + good.substring(16)).isPresent());
        assertFalse(ApiKeyToken.parse(good.replace(good.charAt(20), '!')).isPresent());
    }

    @Test
    void toStringNeverShowsTheSecret() {
        ApiKeyToken token = ApiKeyToken.generate();
        assertFalse(token.toString().contains(token.secret()));
    }
}
