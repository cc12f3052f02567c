package dev.tollgate.platform.tenant;

import dev.tollgate.platform.redis.RedisNamespace;
import dev.tollgate.platform.redis.ChannelPublisher;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArraySet;
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

    private static final Logger LOG = LoggerFactory.getLogger(KeyInvalidations.class);

    private final RedisClient client;
    private final ChannelPublisher publisher;
    private final String channel;
    private final Set<Subscription> subscriptions = new CopyOnWriteArraySet<>();

    public KeyInvalidations(RedisClient client, ChannelPublisher publisher, RedisNamespace namespace) {
        this.client = client;
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
     * Calls {@code listener} with every message published on the channel from now on, on a
     * Redis I/O thread (the listener must be quick and must not block). Uses a connection of its
     * own, which Lettuce reconnects and resubscribes after a network failure. Close the returned
     * subscription to stop.
     */
    public Subscription subscribe(Consumer<String> listener) {
        StatefulRedisPubSubConnection<String, String> pubSub = client.connectPubSub();
        pubSub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String ch, String message) {
                if (channel.equals(ch)) {
                    try {
                        listener.accept(message);
                    } catch (RuntimeException e) {
                        LOG.warn("key invalidation listener failed on {}: {}", message, e.toString());
                    }
                }
            }
        });
        pubSub.sync().subscribe(channel);
        Subscription subscription = new Subscription(pubSub);
        subscriptions.add(subscription);
        return subscription;
    }

    @PreDestroy
    void close() {
        List.copyOf(subscriptions).forEach(Subscription::close);
    }

    /** An open subscription; closing it unsubscribes and closes its connection. */
    public final class Subscription implements AutoCloseable {

        private final StatefulRedisPubSubConnection<String, String> pubSub;

        private Subscription(StatefulRedisPubSubConnection<String, String> pubSub) {
            this.pubSub = pubSub;
        }

        @Override
        public void close() {
            if (subscriptions.remove(this)) {
                pubSub.close();
            }
        }
    }
}
