package dev.tollgate.platform.tenant;

import dev.tollgate.platform.redis.RedisNamespace;
import dev.tollgate.platform.redis.ChannelPublisher;
import dev.tollgate.platform.redis.ChannelSubscription;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.micronaut.configuration.lettuce.AbstractRedisConfiguration;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Tells every replica that cached API key state is stale, over the Redis pub/sub channel
 * {@code RedisNamespace.channel("key-invalidation")}. Messages are {@code key:<public id>} after
 * a change to one key (revoke, rotate, patch) and {@code tenant:<tenant id>} after a change to a
 * whole tenant (suspend, reinstate, plan or limits) or project. The tenant API publishes; the
 * gateway's key cache subscribes and drops the entries named.
 * <p>
 * Pub/sub is fire-and-forget: a replica that is disconnected at the moment of a message misses
 * it, so caches must also expire entries on their own (a short TTL) for the guarantee to hold.
 */
@Singleton
public class KeyInvalidations {

    /** Channel name passed to {@link RedisNamespace#channel(String)}. */
    public static final String CHANNEL = "key-invalidation";
    public static final String KEY_PREFIX = "key:";
    public static final String TENANT_PREFIX = "tenant:";

    private final RedisClient client;
    private final ChannelPublisher publisher;
    private final String channel;
    private final RedisURI redisUri;
    private final Set<ChannelSubscription> subscriptions = new CopyOnWriteArraySet<>();

    public KeyInvalidations(RedisClient client, AbstractRedisConfiguration uri, ChannelPublisher publisher,
                            RedisNamespace namespace) {
        this.client = client;
        // the configured redis.uri when given, else the host/port settings the configuration itself holds
        this.redisUri = uri.getUri().orElse(uri);
        this.publisher = publisher;
        this.channel = namespace.channel(CHANNEL);
    }

    /** The full channel name (with the installation's prefix). */
    public String channel() {
        return channel;
    }

    /** Announces that the key with this public id changed. */
    public void publishKey(String publicId) {
        publish(KEY_PREFIX + publicId);
    }

    /** Announces that every key of this tenant must be re-read. */
    public void publishTenant(UUID tenantId) {
        publish(TENANT_PREFIX + tenantId);
    }

    /**
     * Publishes a raw message ({@code key:<public id>} or {@code tenant:<tenant id>}); see
     * {@link ChannelPublisher#publish}: blocking, and a Redis failure is logged, not thrown.
     */
    public void publish(String message) {
        publisher.publish(channel, message);
    }

    /**
     * Calls {@code listener} with every message published on the channel from now on, in order on
     * the subscription's own thread; returns once the channel is subscribed (at most 10 s). Close
     * the returned subscription to stop.
     */
    public ChannelSubscription subscribe(Consumer<String> listener) {
        ChannelSubscription subscription = new ChannelSubscription(client, redisUri, channel, CHANNEL, listener, () -> { });
        try {
            subscription.subscribed().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            subscription.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while subscribing to " + channel, e);
        } catch (ExecutionException | TimeoutException e) {
            subscription.close();
            throw new IllegalStateException("cannot subscribe to " + channel, e);
        }
        subscriptions.add(subscription);
        return subscription;
    }

    @PreDestroy
    void close() {
        subscriptions.forEach(ChannelSubscription::close);
    }
}
