package dev.tollgate.platform.secret;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * The installation's master key ({@code tollgate.master-key}, from {@code TOLLGATE_MASTER_KEY}:
 * at least 32 bytes, base64). Every other server-side secret (the API key pepper, the provider
 * credential sealing key) is derived from it, so one secret is all an operator must keep safe.
 */
@Singleton
public final class MasterKey {

    private final byte[] key;

    public MasterKey(@Value("${tollgate.master-key}") String encoded) {
        byte[] decoded;
        try {
            decoded = Base64.getUrlDecoder().decode(encoded.trim().replace('+', '-').replace('/', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("tollgate.master-key (TOLLGATE_MASTER_KEY) is not base64");
        }
        if (decoded.length < 32) {
            throw new IllegalStateException("tollgate.master-key (TOLLGATE_MASTER_KEY) must be at least 32 bytes");
        }
        this.key = decoded;
    }

    /** A 32-byte key for one purpose, derived with HMAC-SHA256 (purposes never share a key). */
    public byte[] derive(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "MasterKey[***]";
    }
}
