package dev.tollgate.gateway.auth;

import dev.tollgate.gateway.ChannelSubscription;
import dev.tollgate.platform.redis.RedisNamespace;
import io.lettuce.core.RedisClient;
import io.micronaut.configuration.lettuce.AbstractRedisConfiguration;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;

import java.util.UUID;

/**
 * Evicts cached keys when the tenant API changes them: listens on
 * {@code RedisNamespace.channel("key-invalidation")} for {@code key:<public id>} and
 * {@code tenant:<tenant id>}. While Redis is away the cache TTL bounds how long a revoked key
 * keeps working; every (re)subscription empties the cache.
 */
@Context
@Requires(property = "tollgate.gateway.enabled", notEquals = "false")
public class KeyInvalidationListener {

    /** The channel name under the namespace. */
    public static final String CHANNEL = "key-invalidation";

    private final ApiKeyCache cache;
    private final ChannelSubscription subscription;

    public KeyInvalidationListener(RedisClient client, AbstractRedisConfiguration uri, RedisNamespace namespace, ApiKeyCache cache) {
        this.cache = cache;
        // the configured redis.uri when given, else the host/port settings the configuration itself holds;
        // cached keys expire by TTL while not subscribed, and are all dropped once subscribed (again)
        this.subscription = new ChannelSubscription(client, uri.getUri().orElse(uri), namespace.channel(CHANNEL),
                "key-invalidation", this::apply, cache::invalidateAll);
    }

    void apply(String message) {
        if (message == null) {
            return;
        }
        if (message.startsWith("key:")) {
            cache.invalidateKey(message.substring(4));
        } else if (message.startsWith("tenant:")) {
            try {
                cache.invalidateTenant(UUID.fromString(message.substring(7)));
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
