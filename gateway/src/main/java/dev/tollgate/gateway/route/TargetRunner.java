package dev.tollgate.gateway.route;

import dev.tollgate.gateway.model.ProviderException;
import dev.tollgate.platform.http.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Runs one request over an ordered list of targets: each target is called through its circuit
 * breaker, retried by the {@link RetryPolicy}, bounded by its timeout, and on a failure that the
 * fallback rule accepts the next target is tried. Every call is appended to the request's
 * attempt log. Metrics: {@code tollgate.route.retries} and {@code tollgate.route.fallbacks}
 * (the target retried or fallen back from), tagged {@code target}.
 * <p>
 * The call's {@link Mono} must complete when the answer is committed to: for a stream, when its
 * first event arrived; nothing has reached the client before that, which is what makes a retry
 * or a fallback safe.
 */
@Singleton
public class TargetRunner {

    /** One target to try: its id, its timeout (null for none beyond the provider's) and the call. */
    public record Step<T>(String targetId, String provider, @Nullable Duration timeout, Supplier<Mono<T>> call) {
    }

    /** The committed answer and which step produced it. */
    public record Success<T>(int step, T value) {
    }

    private final CircuitBreakers breakers;
    private final RoutingConfiguration configuration;
    private final MeterRegistry meters;

    public TargetRunner(CircuitBreakers breakers, RoutingConfiguration configuration, MeterRegistry meters) {
        this.breakers = breakers;
        this.configuration = configuration;
        this.meters = meters;
    }

    /** A retry policy for a route, with this gateway's backoff settings. */
    public RetryPolicy retryPolicy(RouteConfig.Retry retry) {
        return new RetryPolicy(retry.attempts(), retry.onStatusCodes(), configuration.retryBaseDelay(),
                configuration.retryMaxDelay(), () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * Whether a failure moves on to the next target: with no status list, any failure except the
     * upstream rejecting the request itself (HTTP 400-class other than 404, 408, 429); with a list,
     * the listed statuses plus failures without an HTTP answer.
     */
    public static Predicate<Throwable> fallbackRule(List<Integer> statuses) {
        return e -> {
            if (!(e instanceof ProviderException p)) {
                return !(e instanceof ApiException);
            }
            if (p.upstreamStatus() == 0 || p.upstreamStatus() == 200) {
                return true;
            }
            if (!statuses.isEmpty()) {
                return statuses.contains(p.upstreamStatus());
            }
            return p.kind() != ProviderException.Kind.INVALID_REQUEST;
        };
    }

    /** Runs the steps in order until one succeeds. */
    public <T> Mono<Success<T>> run(List<Step<T>> steps, RetryPolicy retry, Predicate<Throwable> fallback, Queue<Attempt> log) {
        return step(steps, 0, retry, fallback, log, null);
    }

    private <T> Mono<Success<T>> step(List<Step<T>> steps, int index, RetryPolicy retry, Predicate<Throwable> fallback,
                                      Queue<Attempt> log, @Nullable Throwable last) {
        if (index >= steps.size()) {
            return Mono.error(last != null ? last : new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "api_error",
                    "every target of this route is failing (circuits open); try again shortly", null, "circuit_open", null, null));
        }
        Step<T> s = steps.get(index);
        return attempt(s, 0, retry, log)
                .map(value -> new Success<>(index, value))
                .onErrorResume(e -> {
                    boolean circuitOpen = e instanceof CircuitOpen;
                    Throwable failure = circuitOpen ? last : e;
                    if (index + 1 < steps.size() && (circuitOpen || fallback.test(e))) {
                        if (!circuitOpen) {
                            counter("tollgate.route.fallbacks", "requests moved on to the next target", s.targetId()).increment();
                        }
                        return step(steps, index + 1, retry, fallback, log, failure);
                    }
                    return Mono.error(circuitOpen && failure == null ? circuitOpenError() : circuitOpen ? failure : e);
                });
    }

    private <T> Mono<T> attempt(Step<T> s, int retryNumber, RetryPolicy retry, Queue<Attempt> log) {
        return Mono.defer(() -> {
            CircuitBreaker breaker = breakers.of(s.targetId());
            CircuitBreaker.Permit permit = breaker.acquire();
            if (permit == CircuitBreaker.Permit.REJECTED) {
                breakers.rejected(s.targetId());
                log.add(new Attempt(s.targetId(), "circuit_open", 0, 0, null));
                return Mono.<T>error(new CircuitOpen());
            }
            long start = System.nanoTime();
            Mono<T> call = Mono.defer(s.call());
            if (s.timeout() != null) {
                call = call.timeout(s.timeout()).onErrorMap(TimeoutException.class, e -> new ProviderException(
                        ProviderException.Kind.TIMEOUT, s.provider(), 0,
                        "provider " + s.provider() + " did not answer within " + s.timeout().toMillis() + " ms", null));
            }
            return call
                    .doOnNext(v -> {
                        breaker.success(permit);
                        log.add(new Attempt(s.targetId(), "ok", 200, millis(start), null));
                    })
                    .doOnCancel(() -> breaker.abandon(permit))
                    .onErrorResume(e -> {
                        log.add(failed(s.targetId(), e, millis(start)));
                        if (countsAgainstTarget(e)) {
                            if (breaker.failure(permit)) {
                                breakers.opened(s.targetId());
                            }
                        } else {
                            breaker.success(permit);
                        }
                        return retry.delay(retryNumber + 1, e)
                                .map(d -> {
                                    counter("tollgate.route.retries", "calls repeated on the same target", s.targetId()).increment();
                                    return Mono.delay(d).then(attempt(s, retryNumber + 1, retry, log));
                                })
                                .orElseGet(() -> Mono.error(e));
                    });
        });
    }

    /** Failures that say the target is unhealthy (as opposed to the request being wrong). */
    static boolean countsAgainstTarget(Throwable e) {
        if (!(e instanceof ProviderException p)) {
            return false;
        }
        int s = p.upstreamStatus();
        return s == 0 || s == 200 || s == 429 || s >= 500 || p.kind() == ProviderException.Kind.AUTHENTICATION;
    }

    private static Attempt failed(String target, Throwable e, long latency) {
        if (e instanceof ProviderException p) {
            String outcome = p.kind() == ProviderException.Kind.TIMEOUT && p.upstreamStatus() == 0 ? "timeout" : "error";
            return new Attempt(target, outcome, p.upstreamStatus(), latency, p.kind().name().toLowerCase(Locale.ROOT));
        }
        String code = e instanceof ApiException api ? api.body().error().code() : "internal_error";
        return new Attempt(target, "error", 0, latency, code);
    }

    private Counter counter(String name, String description, String target) {
        return Counter.builder(name).description(description).tag("target", target).register(meters);
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static ApiException circuitOpenError() {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "api_error",
                "every target of this route is failing (circuits open); try again shortly", null, "circuit_open", null, null);
    }

    /** A call refused by an open circuit. */
    private static final class CircuitOpen extends RuntimeException {
        CircuitOpen() {
            super(null, null, false, false);
        }
    }
}
