package dev.tollgate.gateway.cache;

import dev.tollgate.gateway.LazyRedisConnection;
import dev.tollgate.platform.redis.RedisNamespace;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.configuration.lettuce.AbstractRedisConfiguration;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The exact response cache in Redis: one key per tenant and request hash
 * ({@code <prefix>cache:exact:<tenant>:<sha256>}), holding the {@link CachedAnswer} as JSON with
 * the route's TTL. The cache never fails a request: when Redis is slow or down, a lookup is a
 * miss and a store is skipped (counted in {@code tollgate.cache.errors}).
 */
@Singleton
public class ExactCache {

    private static final Logger LOG = LoggerFactory.getLogger(ExactCache.class);
    private static final long LOG_EVERY_MS = 10_000;

    private final LazyRedisConnection redis;
    private final RedisNamespace namespace;
    private final JsonMapper json;
    private final CacheConfiguration configuration;
    private final Counter errors;
    private final AtomicLong lastLog = new AtomicLong();

    public ExactCache(RedisClient client, AbstractRedisConfiguration uri, RedisNamespace namespace, JsonMapper json,
                      CacheConfiguration configuration, MeterRegistry meters) {
        this.redis = new LazyRedisConnection(client, uri.getUri().orElse(uri));
        this.namespace = namespace;
        this.json = json;
        this.configuration = configuration;
        this.errors = Counter.builder("tollgate.cache.errors").description("exact cache calls that failed or timed out")
                .register(meters);
    }

    /** The cached answer of a key, empty on a miss or when Redis does not answer in time. */
    public Mono<Optional<CachedAnswer>> get(UUID tenantId, String key) {
        return Mono.fromFuture(() -> redis.get()
                        .thenCompose(connection -> connection.async().get(redisKey(tenantId, key)).toCompletableFuture())
                        .orTimeout(configuration.redisTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .map(value -> Optional.ofNullable(decode(value)))
                .defaultIfEmpty(Optional.empty())
                .onErrorResume(e -> {
                    failed(e);
                    return Mono.just(Optional.empty());
                });
    }

    /** Stores an answer (fire and forget); oversized answers are not stored. */
    public void put(UUID tenantId, String key, CachedAnswer answer, Duration ttl) {
        if (answer.size() > configuration.maxEntryBytes()) {
            return;
        }
        String value;
        try {
            value = json.writeValueAsString(answer);
        } catch (IOException e) {
            failed(e);
            return;
        }
        redis.get().thenCompose(connection -> connection.async().set(redisKey(tenantId, key), value,
                        SetArgs.Builder.px(ttl.toMillis())).toCompletableFuture())
                .whenComplete((ok, e) -> {
                    if (e != null) {
                        failed(e);
                    }
                });
    }

    private String redisKey(UUID tenantId, String key) {
        return namespace.key("cache", "exact", tenantId.toString(), key);
    }

    private CachedAnswer decode(String value) {
        if (value == null) {
            return null;
        }
        try {
            return json.readValue(value, CachedAnswer.class);
        } catch (IOException | RuntimeException e) {
            // an entry written by an incompatible version: treat as a miss, it is overwritten on store
            return null;
        }
    }

    private void failed(Throwable e) {
        errors.increment();
        long now = System.currentTimeMillis();
        long last = lastLog.get();
        if (now - last > LOG_EVERY_MS && lastLog.compareAndSet(last, now)) {
            LOG.warn("exact cache unavailable ({}): serving without it", e.getClass().getSimpleName());
        }
    }


    @PreDestroy
    void close() {
        redis.close();
    }
}
