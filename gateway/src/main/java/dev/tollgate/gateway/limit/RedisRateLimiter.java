package dev.tollgate.gateway.limit;

import dev.tollgate.gateway.LazyRedisConnection;
import dev.tollgate.platform.http.ApiException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.SetArgs;
import io.micronaut.configuration.lettuce.AbstractRedisConfiguration;
import jakarta.annotation.PreDestroy;
import io.lettuce.core.ScriptOutputType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Primary;
import io.micronaut.http.HttpStatus;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link RateLimiter} over Redis: one {@code EVALSHA} of {@code admit.lua} per request checks
 * and reserves every limit atomically, one of {@code settle.lua} gives back the difference when
 * it ends. Redis failures and timeouts apply {@link LimitsConfiguration#failMode()}.
 * <p>
 * A budget's spend counter that Redis no longer has (a restart without persistence, a flush)
 * is seeded from the database ({@link SpendLedger}) with {@code SET NX} before the request is
 * admitted, so a hard cap outlives Redis and replicas seeding at once count the spend once.
 */
@Singleton
@Primary
public class RedisRateLimiter implements RateLimiter {

    private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);
    private static final long LOG_EVERY_MS = 10_000;
    private static final long DAY_MS = 86_400_000;
    /** What admit.lua answers instead of a decision when a budget counter must be seeded first. */
    private static final long SEED_NEEDED = -1;
    /** At most one seed per budget check (key, project, tenant). */
    private static final int MAX_SEEDS = 3;


    private final LazyRedisConnection redis;
    private final LimitsConfiguration configuration;
    private final LocalRateLimiter local;
    private final SpendLedger ledger;
    private final Executor blocking;
    private final Script admit = new Script("admit.lua");
    private final Script settle = new Script("settle.lua");
    private final Counter fallbacks;
    private final Counter refusals;
    private final AtomicLong lastLog = new AtomicLong();
    private final AtomicLong lastSeedLog = new AtomicLong();

    public RedisRateLimiter(RedisClient client, AbstractRedisConfiguration uri, LimitsConfiguration configuration,
                            LocalRateLimiter local, SpendLedger ledger, @Named(TaskExecutors.BLOCKING) ExecutorService blocking,
                            MeterRegistry meters) {
        // the configured redis.uri when given, else the host/port settings the configuration itself holds
        this.redis = new LazyRedisConnection(client, uri.getUri().orElse(uri));
        this.configuration = configuration;
        this.local = local;
        this.ledger = ledger;
        this.blocking = blocking;
        this.fallbacks = Counter.builder("tollgate.limits.fallback")
                .description("limit checks decided without Redis").tag("mode", configuration.failMode().name().toLowerCase())
                .register(meters);
        this.refusals = Counter.builder("tollgate.limits.refused").description("requests refused by a limit").register(meters);
        // connect now, asynchronously, so the first request does not pay for the handshake
        redis.get();
    }

    @Override
    public Mono<Admission> admit(String requestId, List<Check> checks) {
        if (checks.isEmpty()) {
            return Mono.just(Admission.unlimited(requestId));
        }
        return Mono.fromFuture(() -> admitSeeding(requestId, checks, MAX_SEEDS))
                .map(result -> toAdmission(requestId, checks, result))
                .onErrorResume(e -> {
                    fallbacks.increment();
                    logOutage(e);
                    if (configuration.failMode() == LimitsConfiguration.FailMode.CLOSED) {
                        return Mono.error(new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "api_error",
                                "limits cannot be checked right now, try again shortly", null, "limits_unavailable", null, null));
                    }
                    return local.admit(requestId, checks);
                })
                .doOnNext(a -> {
                    if (!a.admitted()) {
                        refusals.increment();
                    }
                });
    }

    @Override
    public void settle(Admission admission, long tokensUsed, long nanoUsdBilled) {
        if (admission.checks().isEmpty() || !admission.admitted()) {
            return;
        }
        if (admission.local()) {
            local.settle(admission, tokensUsed, nanoUsdBilled);
            return;
        }
        List<Check> deltas = new ArrayList<>(admission.checks().size());
        for (Check c : admission.checks()) {
            long delta = switch (c.kind()) {
                case "tpm" -> tokensUsed - Math.min(c.amount(), c.limit());
                case "ctr" -> tokensUsed - c.amount();
                case "usd" -> nanoUsdBilled;
                default -> 0;
            };
            deltas.add(c.withAmount(delta));
        }
        run(settle, admission.requestId(), deltas, false, true).whenComplete((r, e) -> {
            if (e != null) {
                logOutage(e);
            }
        });
    }

    /** Admits, first seeding (at most {@code seeds} times) budget counters the script reports missing. */
    private CompletableFuture<List<Object>> admitSeeding(String requestId, List<Check> checks, int seeds) {
        return run(admit, requestId, checks, seeds > 0, false).thenCompose(result -> {
            if (((Number) result.get(0)).longValue() != SEED_NEEDED) {
                return CompletableFuture.completedFuture(result);
            }
            Check missing = checks.get(((Number) result.get(1)).intValue() - 1);
            return seed(missing).thenCompose(seeded -> admitSeeding(requestId, checks, seeded ? seeds - 1 : 0));
        });
    }

    /**
     * Sets a missing spend counter to the billed amount the database holds for its period;
     * {@code SET NX} keeps a counter another replica seeded (or a request settled) meanwhile.
     * False when the database cannot answer: the request is then admitted on the money in flight
     * alone, and the next one tries again.
     */
    private CompletableFuture<Boolean> seed(Check check) {
        return CompletableFuture.supplyAsync(() -> LimitPlanner.toNanos(ledger.billed(check.spend())), blocking)
                .thenCompose(nanos -> redis.get().thenCompose(connection -> connection.async()
                        .set(check.key(), String.valueOf(nanos), SetArgs.Builder.nx().px(check.param() + DAY_MS))
                        .toCompletableFuture()))
                .handle((ok, e) -> {
                    if (e != null) {
                        logSeedFailure(e);
                        return false;
                    }
                    return true;
                });
    }

    private CompletableFuture<List<Object>> run(Script script, String requestId, List<Check> checks, boolean seed,
                                                boolean isSettle) {
        String[] keys = new String[checks.size() * 2];
        String[] args = new String[4 + checks.size() * 4];
        args[0] = String.valueOf(System.currentTimeMillis());
        args[1] = requestId;
        args[2] = String.valueOf(checks.size());
        args[3] = seed ? "1" : "0";
        for (int i = 0; i < checks.size(); i++) {
            Check c = checks.get(i);
            keys[2 * i] = c.key();
            keys[2 * i + 1] = c.key2();
            args[4 + 4 * i] = c.kind();
            args[5 + 4 * i] = String.valueOf(c.limit());
            args[6 + 4 * i] = String.valueOf(c.amount());
            args[7 + 4 * i] = String.valueOf(c.param());
        }
        CompletableFuture<List<Object>> call = redis.get().thenCompose(connection -> connection.async()
                .<List<Object>>evalsha(script.sha, ScriptOutputType.MULTI, keys, args)
                .toCompletableFuture()
                .exceptionallyCompose(e -> {
                    Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                    if (cause instanceof RedisNoScriptException) {
                        return connection.async().<List<Object>>eval(script.source, ScriptOutputType.MULTI, keys, args).toCompletableFuture();
                    }
                    return CompletableFuture.failedFuture(cause);
                }));
        return isSettle ? call : call.orTimeout(configuration.redisTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }


    @PreDestroy
    void close() {
        redis.close();
    }

    private static Admission toAdmission(String requestId, List<Check> checks, List<Object> r) {
        long[] remaining = new long[checks.size()];
        long[] reset = new long[checks.size()];
        for (int i = 0; i < checks.size(); i++) {
            remaining[i] = ((Number) r.get(3 + 2 * i)).longValue();
            reset[i] = ((Number) r.get(4 + 2 * i)).longValue();
        }
        boolean ok = ((Number) r.get(0)).longValue() == 1;
        int failed = ok ? -1 : ((Number) r.get(1)).intValue() - 1;
        return new Admission(requestId, checks, remaining, reset, failed, ((Number) r.get(2)).longValue(), false);
    }

    private void logOutage(Throwable e) {
        long now = System.currentTimeMillis();
        long last = lastLog.get();
        if (now - last > LOG_EVERY_MS && lastLog.compareAndSet(last, now)) {
            LOG.warn("Redis limit check failed ({}), failing {}", e.getClass().getSimpleName(),
                    configuration.failMode().name().toLowerCase());
        }
    }

    private void logSeedFailure(Throwable e) {
        long now = System.currentTimeMillis();
        long last = lastSeedLog.get();
        if (now - last > LOG_EVERY_MS && lastSeedLog.compareAndSet(last, now)) {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            LOG.warn("budget spend counter not seeded from the database ({}); admitting on money in flight only",
                    cause.getClass().getSimpleName());
        }
    }

    private static final class Script {
        final String source;
        final String sha;

        Script(String name) {
            try (InputStream in = RedisRateLimiter.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("missing Lua script " + name);
                }
                this.source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
