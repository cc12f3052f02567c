package dev.tollgate.gateway.auth;

import dev.tollgate.platform.redis.RedisNamespace;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * Evicts cached keys when the tenant API changes them: listens on
 * {@code RedisNamespace.channel("key-invalidation")} for {@code key:<public id>} and
 * {@code tenant:<tenant id>}. Lettuce re-subscribes by itself after a reconnect; while Redis is
 * away the cache TTL bounds how long a revoked key keeps working.
 */
@Context
@Requires(property = "tollgate.gateway.enabled", notEquals = "false")
public class KeyInvalidationListener {

    /** The channel name under the namespace. */
    public static final String CHANNEL = "key-invalidation";

    private static final Logger LOG = LoggerFactory.getLogger(KeyInvalidationListener.class);

    private final StatefulRedisPubSubConnection<String, String> connection;

    public KeyInvalidationListener(RedisClient client, RedisNamespace namespace, ApiKeyCache cache) {
        String channel = namespace.channel(CHANNEL);
        this.connection = client.connectPubSub();
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String ch, String message) {
                if (!channel.equals(ch) || message == null) {
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
        });
        connection.sync().subscribe(channel);
        LOG.debug("listening for key invalidations on {}", channel);
    }

    @PreDestroy
    void close() {
        connection.closeAsync();
    }
}
