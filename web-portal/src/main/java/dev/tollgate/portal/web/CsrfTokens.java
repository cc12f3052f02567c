package dev.tollgate.portal.web;

import io.micronaut.context.annotation.Property;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Signed double-submit CSRF tokens. Each browser holds a random seed in an HttpOnly cookie;
 * forms and htmx requests carry {@code HMAC(key, seed)}. A page of another site can neither read
 * the cookie nor compute the HMAC, and a seed planted in the browser by someone else is useless
 * without the key. The key is derived from the JWT signing secret, so every replica agrees on it.
 */
@Singleton
public class CsrfTokens {

    /** Form field carrying the token. */
    public static final String FIELD = "_csrf";
    /** Header carrying the token (htmx requests, set by portal.js). */
    public static final String HEADER = "X-CSRF-Token";
    /** Request attribute holding this request's seed. */
    static final String SEED_ATTRIBUTE = "tollgate.portal.csrf-seed";

    private static final Pattern SEED = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    public CsrfTokens(@Nullable @Property(name = "micronaut.security.token.jwt.signatures.secret.generator.secret") String jwtSecret) {
        byte[] material;
        if (jwtSecret == null || jwtSecret.isBlank()) {
            // without a configured secret no session can be signed either; a process-local key keeps forms working
            material = new byte[32];
            RANDOM.nextBytes(material);
        } else {
            material = hmac(new SecretKeySpec(jwtSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
                    "tollgate-portal-csrf-v1");
        }
        this.key = new SecretKeySpec(material, "HmacSHA256");
    }

    public String newSeed() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    public static boolean wellFormed(@Nullable String seed) {
        return seed != null && SEED.matcher(seed).matches();
    }

    /** The token that forms of a browser with this seed must send. */
    public String token(String seed) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, seed));
    }

    public boolean matches(@Nullable String seed, @Nullable String token) {
        if (!wellFormed(seed) || token == null || token.isBlank()) {
            return false;
        }
        return MessageDigest.isEqual(token(seed).getBytes(StandardCharsets.US_ASCII), token.trim().getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] hmac(SecretKeySpec key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
