package dev.tollgate.gateway.auth;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tollgate.platform.tenant.ApiKeyGrant;
import dev.tollgate.platform.tenant.ApiKeyStore;
import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * API keys by public id, cached for {@code tollgate.gateway.key-cache-ttl} (default 2 s), also
 * when unknown, so that a flood of made-up keys does not reach the database. Loads run on the
 * blocking executor, never on the event loop. Revocation reaches every replica within the TTL,
 * and at once through {@link KeyInvalidationListener}.
 */
@Singleton
public class ApiKeyCache {

    private final AsyncLoadingCache<String, Optional<ApiKeyGrant>> cache;

    public ApiKeyCache(ApiKeyStore store, @Named(TaskExecutors.BLOCKING) ExecutorService blocking,
                       @Value("${tollgate.gateway.key-cache-ttl:2s}") Duration ttl) {
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(100_000)
                .executor(blocking)
                .buildAsync(store::findByPublicId);
    }

    public CompletableFuture<Optional<ApiKeyGrant>> find(String publicId) {
        return cache.get(publicId);
    }

    public void invalidateKey(String publicId) {
        cache.synchronous().invalidate(publicId);
    }

    public void invalidateTenant(UUID tenantId) {
        cache.synchronous().asMap().entrySet().removeIf(e -> e.getValue().map(g -> g.tenantId().equals(tenantId)).orElse(false));
    }

    public void invalidateAll() {
        cache.synchronous().invalidateAll();
    }
}
