package dev.tollgate.gateway.route;

import dev.tollgate.gateway.ChannelSubscription;
import dev.tollgate.platform.redis.RedisNamespace;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.configuration.lettuce.AbstractRedisConfiguration;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

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

    private static final Logger LOG = LoggerFactory.getLogger(ModelMappings.class);

    private final ModelMappingStore store;
    private final StatefulRedisConnection<String, String> redis;
    private final String channel;
    private final ChannelSubscription subscription;
    private volatile Map<String, ModelMapping> byAlias;

    public ModelMappings(ModelMappingStore store, RedisClient client, AbstractRedisConfiguration uri,
                         StatefulRedisConnection<String, String> redis, RedisNamespace namespace) {
        this.store = store;
        this.redis = redis;
        this.channel = namespace.channel(CHANNEL);
        reload();
        this.subscription = new ChannelSubscription(client, uri.getUri().orElse(uri), channel, CHANNEL,
                message -> reload(), this::reload);
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
        try {
            redis.async().publish(channel, "changed").toCompletableFuture().get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("model mapping change not announced: interrupted");
        } catch (Exception e) {
            LOG.warn("model mapping change not announced: {}", e.toString());
        }
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
