package dev.tollgate.platform.redis;

import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Publishes cache invalidation messages on Redis pub/sub channels (named through
 * {@link RedisNamespace#channel(String)}). Pub/sub is fire-and-forget: subscribers must also
 * expire or refresh what they cache on their own, so a message lost while Redis is away only
 * delays a change.
 */
@Singleton
public class ChannelPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelPublisher.class);

    private final BeanProvider<StatefulRedisConnection<String, String>> connection;

    /** The connection is opened on first publish, so that a Redis that is down never fails start-up. */
    public ChannelPublisher(BeanProvider<StatefulRedisConnection<String, String>> connection) {
        this.connection = connection;
    }

    /**
     * Publishes {@code message} on the full channel name. Blocking (up to two seconds); a Redis
     * failure is logged, not thrown: the change itself is already stored.
     */
    public void publish(String channel, String message) {
        try {
            connection.get().async().publish(channel, message).toCompletableFuture().get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("invalidation {} on {} not published: interrupted", message, channel);
        } catch (Exception e) {
            LOG.warn("invalidation {} on {} not published: {}", message, channel, e.toString());
        }
    }
}
