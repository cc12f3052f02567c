package dev.tollgate.gateway.route;

import dev.tollgate.platform.redis.ChannelSubscription;
import dev.tollgate.platform.redis.ChannelPublisher;
import dev.tollgate.platform.redis.RedisNamespace;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.micronaut.configuration.lettuce.AbstractRedisConfiguration;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stored model mappings every request is routed with, held in memory. Read from the
 * database at start, and again whenever any replica announces a change on
 * {@code RedisNamespace.channel("model-mappings")} (and on every (re)subscription, to catch up on
 * announcements missed while Redis was away): the database stays the source of truth, the
 * channel only says when to read it.
 */
@Context
@Requires(property = "tollgate.gateway.enabled", notEquals = "false")
public class ModelMappings {

    /** The channel name under the namespace. */
    public static final String CHANNEL = "model-mappings";

    private final ModelMappingStore store;
    private final ChannelPublisher publisher;
    private final String channel;
    private final ChannelSubscription subscription;
    private volatile Map<String, ModelMapping> byAlias;

    public ModelMappings(ModelMappingStore store, RedisClient client, AbstractRedisConfiguration uri, RedisNamespace namespace,
                         ChannelPublisher publisher) {
        this.store = store;
        // the configured redis.uri when given, else the host/port settings the configuration itself holds
        RedisURI redisUri = uri.getUri().orElse(uri);
        this.publisher = publisher;
        this.channel = namespace.channel(CHANNEL);
        reload();
        this.subscription = new ChannelSubscription(client, redisUri, channel, CHANNEL, message -> reload(), this::reload);
    }

    /** The stored mapping of {@code alias}. */
    public Optional<ModelMapping> find(String alias) {
        return Optional.ofNullable(byAlias.get(alias));
    }

    /** Every stored mapping, by alias. */
    public List<ModelMapping> all() {
        return List.copyOf(byAlias.values());
    }

    /**
     * Re-reads the table here and tells every other replica to. Blocking; a Redis failure is
     * logged, not thrown: the change is stored, and replicas read it when they resubscribe.
     */
    public void changed() {
        reload();
        publisher.publish(channel, "changed");
    }

    private synchronized void reload() {
        Map<String, ModelMapping> next = new LinkedHashMap<>();
        store.list().forEach(m -> next.put(m.alias(), m));
        byAlias = next;
    }

    @PreDestroy
    void close() {
        subscription.close();
    }
}
