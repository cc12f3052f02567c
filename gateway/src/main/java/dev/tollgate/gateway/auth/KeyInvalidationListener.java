package dev.tollgate.gateway.auth;

import dev.tollgate.platform.redis.ChannelSubscription;
import dev.tollgate.platform.redis.RedisNamespace;
import dev.tollgate.platform.tenant.KeyInvalidations;
import io.lettuce.core.RedisClient;
import io.micronaut.configuration.lettuce.AbstractRedisConfiguration;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;

import java.util.UUID;

/**
 * Evicts cached keys when the tenant API changes them: listens on
 * {@code RedisNamespace.channel("key-invalidation")} for {@code key:<public id>} and
 * {@code tenant:<tenant id>}, and flushes the whole cache whenever it (re)subscribes; while Redis
 * is away the cache TTL bounds how long a revoked key keeps working.
 */
@Context
@Requires(property = "tollgate.gateway.enabled", notEquals = "false")
public class KeyInvalidationListener {

    private final ApiKeyCache cache;
    private final ChannelSubscription subscription;

    public KeyInvalidationListener(RedisClient client, AbstractRedisConfiguration uri, RedisNamespace namespace, ApiKeyCache cache) {
        this.cache = cache;
        // the configured redis.uri when given, else the host/port settings the configuration itself holds
        this.subscription = new ChannelSubscription(client, uri.getUri().orElse(uri), namespace.channel(KeyInvalidations.CHANNEL),
                "key-invalidation", this::apply, cache::invalidateAll);
    }

    void apply(String message) {
        if (message.startsWith(KeyInvalidations.KEY_PREFIX)) {
            cache.invalidateKey(message.substring(KeyInvalidations.KEY_PREFIX.length()));
        } else if (message.startsWith(KeyInvalidations.TENANT_PREFIX)) {
            try {
                cache.invalidateTenant(UUID.fromString(message.substring(KeyInvalidations.TENANT_PREFIX.length())));
            } catch (IllegalArgumentException e) {
                cache.invalidateAll();
            }
        } else {
            cache.invalidateAll();
        }
    }

    @PreDestroy
    void close() {
        subscription.close();
    }
}
