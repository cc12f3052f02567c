package dev.tollgate.gateway.route;

import dev.tollgate.platform.redis.ChannelPublisher;
import dev.tollgate.platform.redis.RedisNamespace;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.UUID;

/**
 * Tells every gateway replica that a stored route changed, over the Redis pub/sub channel
 * {@code RedisNamespace.channel("route-invalidation")}: the message is
 * {@code <tenant id>/<route name>} (route names cannot hold a {@code /}). The routes API
 * publishes after every put and delete; {@link RouteInvalidationListener} drops the cached copies.
 */
@Singleton
public class RouteInvalidations {

    /** Channel name passed to {@link RedisNamespace#channel(String)}. */
    public static final String CHANNEL = "route-invalidation";

    /** A route named in a message. */
    public record Changed(UUID tenantId, String name) {
    }

    private final ChannelPublisher publisher;
    private final String channel;

    public RouteInvalidations(ChannelPublisher publisher, RedisNamespace namespace) {
        this.publisher = publisher;
        this.channel = namespace.channel(CHANNEL);
    }

    /** Announces that the tenant's routes of this name (tenant-wide or of any project) changed. Blocking. */
    public void publish(UUID tenantId, String name) {
        publisher.publish(channel, tenantId + "/" + name);
    }

    /** The route a message names, null when it is not one of ours. */
    @Nullable
    static Changed parse(String message) {
        int slash = message.indexOf('/');
        if (slash < 0) {
            return null;
        }
        try {
            return new Changed(UUID.fromString(message.substring(0, slash)), message.substring(slash + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
