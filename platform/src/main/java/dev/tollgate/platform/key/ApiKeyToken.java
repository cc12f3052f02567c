package dev.tollgate.platform.key;

import java.security.SecureRandom;
import java.util.Optional;

/**
 * An API key as the customer holds it: {@code tg_<public id>_<secret>}, where the public id is
 * 12 base62 characters (stored in clear, used to find the key) and the secret 40 base62
 * characters (only its keyed hash is stored).
 */
public record ApiKeyToken(String publicId, String secret) {

    public static final String PREFIX = "tg_";
    public static final int PUBLIC_ID_LENGTH = 12;
    public static final int SECRET_LENGTH = 40;

    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new key with a random public id and secret. */
    public static ApiKeyToken generate() {
        return new ApiKeyToken(randomBase62(PUBLIC_ID_LENGTH), randomBase62(SECRET_LENGTH));
    }

    /** A new secret for an existing public id (key rotation). */
    public ApiKeyToken withNewSecret() {
        return new ApiKeyToken(publicId, randomBase62(SECRET_LENGTH));
    }

    /** Parses a presented key; empty when it is not in Tollgate's format. */
    public static Optional<ApiKeyToken> parse(String raw) {
        if (raw == null || raw.length() != PREFIX.length() + PUBLIC_ID_LENGTH + 1 + SECRET_LENGTH
                || !raw.startsWith(PREFIX) || raw.charAt(PREFIX.length() + PUBLIC_ID_LENGTH) != '_') {
            return Optional.empty();
        }
        String publicId = raw.substring(PREFIX.length(), PREFIX.length() + PUBLIC_ID_LENGTH);
        String secret = raw.substring(PREFIX.length() + PUBLIC_ID_LENGTH + 1);
        if (!isBase62(publicId) || !isBase62(secret)) {
            return Optional.empty();
        }
        return Optional.of(new ApiKeyToken(publicId, secret));
    }

    /** The full key, to be shown to its owner exactly once. */
    public String value() {
        return PREFIX + publicId + "_" + secret;
    }

    /** The part of the key that may be displayed again: {@code tg_<public id>}. */
    public String displayPrefix() {
        return PREFIX + publicId;
    }

    @Override
    public String toString() {
        return displayPrefix() + "_***";
    }

    private static String randomBase62(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = BASE62[RANDOM.nextInt(BASE62.length)];
        }
        return new String(out);
    }

    private static boolean isBase62(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                return false;
            }
        }
        return true;
    }
}
