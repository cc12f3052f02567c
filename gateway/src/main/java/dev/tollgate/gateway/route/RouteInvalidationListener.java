package dev.tollgate.gateway.route;

import dev.tollgate.platform.redis.ChannelSubscription;
import dev.tollgate.platform.redis.RedisNamespace;
import io.lettuce.core.RedisClient;
import io.micronaut.configuration.lettuce.AbstractRedisConfiguration;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;

/**
 * Drops a replica's cached copies of a stored route as soon as any replica changes it (see
 * {@link RouteInvalidations}), and every cached route whenever the subscription is
 * (re)established, since messages may have been missed meanwhile. The resolver's periodic refresh
 * ({@link RoutingConfiguration#routeCacheTtl()}) stays as the safety net while Redis is away.
 */
@Context
@Requires(property = "tollgate.gateway.enabled", notEquals = "false")
public class RouteInvalidationListener {

    private final RouteResolver resolver;
    private final ChannelSubscription subscription;

    public RouteInvalidationListener(RedisClient client, AbstractRedisConfiguration uri, RedisNamespace namespace,
                                     RouteResolver resolver) {
        this.resolver = resolver;
        this.subscription = new ChannelSubscription(client, uri.getUri().orElse(uri), namespace.channel(RouteInvalidations.CHANNEL),
                "route-invalidation", this::apply, resolver::invalidateAll);
    }

    private void apply(String message) {
        RouteInvalidations.Changed changed = RouteInvalidations.parse(message);
        if (changed == null) {
            resolver.invalidateAll();
        } else {
            resolver.invalidate(changed.tenantId(), changed.name());
        }
    }

    @PreDestroy
    void close() {
        subscription.close();
    }
}
