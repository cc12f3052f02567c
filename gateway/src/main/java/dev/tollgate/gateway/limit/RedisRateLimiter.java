package dev.tollgate.gateway.limit;

import dev.tollgate.gateway.LazyRedisConnection;
import dev.tollgate.platform.http.ApiException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.micronaut.configuration.lettuce.AbstractRedisConfiguration;
import jakarta.annotation.PreDestroy;
import io.lettuce.core.ScriptOutputType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Primary;
import io.micronaut.http.HttpStatus;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link RateLimiter} over Redis: one {@code EVALSHA} of {@code admit.lua} per request checks
 * and reserves every limit atomically, one of {@code settle.lua} gives back the difference when
 * it ends. Redis failures and timeouts apply {@link LimitsConfiguration#failMode()}.
 */
@Singleton
@Primary
public class RedisRateLimiter implements RateLimiter {

    private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);
    private static final long LOG_EVERY_MS = 10_000;


    private final LazyRedisConnection redis;
    private final LimitsConfiguration configuration;
    private final LocalRateLimiter local;
    private final Script admit = new Script("admit.lua");
    private final Script settle = new Script("settle.lua");
    private final Counter fallbacks;
    private final Counter refusals;
    private final AtomicLong lastLog = new AtomicLong();

    public RedisRateLimiter(RedisClient client, AbstractRedisConfiguration uri, LimitsConfiguration configuration,
                            LocalRateLimiter local, MeterRegistry meters) {
        // the configured redis.uri when given, else the host/port settings the configuration itself holds
        this.redis = new LazyRedisConnection(client, uri.getUri().orElse(uri));
        this.configuration = configuration;
        this.local = local;
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
        return Mono.fromFuture(() -> run(admit, requestId, checks, false))
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
            deltas.add(new Check(c.kind(), c.what(), c.level(), c.limit(), delta, c.param(), c.key(), c.key2()));
        }
        run(settle, admission.requestId(), deltas, true).whenComplete((r, e) -> {
            if (e != null) {
                logOutage(e);
            }
        });
    }

    private CompletableFuture<List<Object>> run(Script script, String requestId, List<Check> checks, boolean isSettle) {
        String[] keys = new String[checks.size() * 2];
        String[] args = new String[3 + checks.size() * 4];
        args[0] = String.valueOf(System.currentTimeMillis());
        args[1] = requestId;
        args[2] = String.valueOf(checks.size());
        for (int i = 0; i < checks.size(); i++) {
            Check c = checks.get(i);
            keys[2 * i] = c.key();
            keys[2 * i + 1] = c.key2();
            args[3 + 4 * i] = c.kind();
            args[4 + 4 * i] = String.valueOf(c.limit());
            args[5 + 4 * i] = String.valueOf(c.amount());
            args[6 + 4 * i] = String.valueOf(c.param());
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
