package dev.tollgate.gateway.auth;

import dev.tollgate.platform.redis.RedisNamespace;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.micronaut.configuration.lettuce.AbstractRedisConfiguration;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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

    private static final long RETRY_MS = 5_000;

    private final RedisClient client;
    private final RedisURI uri;
    private final String channel;
    private final ApiKeyCache cache;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "key-invalidation-connect");
        t.setDaemon(true);
        return t;
    });
    private volatile StatefulRedisPubSubConnection<String, String> connection;
    private volatile boolean closed;

    public KeyInvalidationListener(RedisClient client, AbstractRedisConfiguration uri, RedisNamespace namespace, ApiKeyCache cache) {
        this.client = client;
        // the configured redis.uri when given, else the host/port settings the configuration itself holds
        this.uri = uri.getUri().orElse(uri);
        this.channel = namespace.channel(CHANNEL);
        this.cache = cache;
        connect();
    }

    private void connect() {
        if (closed) {
            return;
        }
        client.connectPubSubAsync(StringCodec.UTF8, uri).toCompletableFuture()
                .thenCompose(c -> {
                    c.addListener(new RedisPubSubAdapter<>() {
                        @Override
                        public void message(String ch, String message) {
                            if (channel.equals(ch)) {
                                apply(message);
                            }
                        }
                    });
                    connection = c;
                    return c.async().subscribe(channel).toCompletableFuture();
                })
                .whenComplete((ok, e) -> {
                    if (e != null) {
                        // cached keys keep expiring by TTL meanwhile; flush once we listen again
                        LOG.warn("cannot listen for key invalidations ({}), retrying in {} s", e.getClass().getSimpleName(), RETRY_MS / 1000);
                        StatefulRedisPubSubConnection<String, String> c = connection;
                        if (c != null) {
                            c.closeAsync();
                            connection = null;
                        }
                        retries.schedule(this::connect, RETRY_MS, TimeUnit.MILLISECONDS);
                    } else {
                        cache.invalidateAll();
                        LOG.debug("listening for key invalidations on {}", channel);
                    }
                });
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
        closed = true;
        retries.shutdownNow();
        StatefulRedisPubSubConnection<String, String> c = connection;
        if (c != null) {
            c.closeAsync();
        }
    }
}
