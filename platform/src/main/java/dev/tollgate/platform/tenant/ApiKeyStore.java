package dev.tollgate.platform.tenant;

import java.util.Optional;

/**
 * Reads API keys for authentication. Blocking (JDBC): callers on the event loop must cache or
 * move to a blocking executor.
 */
public interface ApiKeyStore {

    /** The key with this public id with its project and tenant settings, revoked or not. */
    Optional<ApiKeyGrant> findByPublicId(String publicId);
}
