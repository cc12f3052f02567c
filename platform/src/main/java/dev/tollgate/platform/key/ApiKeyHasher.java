package dev.tollgate.platform.key;

import dev.tollgate.platform.secret.MasterKey;
import jakarta.inject.Singleton;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * Keyed hash of API key secrets: HMAC-SHA256 under a pepper derived from the master key, so a
 * leaked database alone does not allow offline guessing. Comparison is constant-time.
 */
@Singleton
public final class ApiKeyHasher {

    private final SecretKeySpec pepper;
    // Mac.getInstance walks the provider list on every call: one initialised Mac per thread instead
    private final ThreadLocal<Mac> macs;

    public ApiKeyHasher(MasterKey masterKey) {
        this.pepper = new SecretKeySpec(masterKey.derive("tollgate/api-key-pepper/v1"), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    public byte[] hash(String secret) {
        // doFinal resets the Mac to its initialised state, ready for the next call
        return macs.get().doFinal(secret.getBytes(StandardCharsets.US_ASCII));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(pepper);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant-time check of a presented secret against a stored hash (null never matches). */
    public boolean matches(String secret, byte[] storedHash) {
        return storedHash != null && MessageDigest.isEqual(hash(secret), storedHash);
    }
}
