package dev.tollgate.gateway.route;

import dev.tollgate.gateway.model.ProviderException;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When and how long to wait before calling a target again: exponential backoff with full jitter
 * (AWS's "full jitter": uniform between zero and {@code min(cap, base * 2^retry)}), stretched to
 * an upstream's {@code Retry-After} when it sends one. A {@code Retry-After} beyond the cap means
 * the upstream will not recover in time for this request: it is not retried, so the router moves
 * on to the next target instead of holding the caller.
 */
public final class RetryPolicy {

    private final int attempts;
    private final List<Integer> statuses;
    private final Duration base;
    private final Duration cap;
    private final DoubleSupplier random;

    /**
     * @param attempts retries after the first call
     * @param statuses upstream statuses that are retried (timeouts and connection failures always are)
     * @param random   uniform in [0, 1)
     */
    public RetryPolicy(int attempts, List<Integer> statuses, Duration base, Duration cap, DoubleSupplier random) {
        this.attempts = attempts;
        this.statuses = List.copyOf(statuses);
        this.base = base;
        this.cap = cap;
        this.random = random;
    }

    /**
     * The wait before retry number {@code retry} (1 for the first) after {@code failure}, or empty
     * when the call must not be retried.
     */
    public Optional<Duration> delay(int retry, Throwable failure) {
        if (retry > attempts || !retryable(failure)) {
            return Optional.empty();
        }
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(20, retry - 1));
        long wait = (long) (random.getAsDouble() * (ceiling + 1));
        Duration retryAfter = failure instanceof ProviderException p ? p.retryAfter() : null;
        if (retryAfter != null) {
            if (retryAfter.compareTo(cap) > 0) {
                return Optional.empty();
            }
            wait = Math.max(wait, retryAfter.toMillis());
        }
        return Optional.of(Duration.ofMillis(wait));
    }

    /** Whether a failure is worth repeating on the same target. */
    public boolean retryable(@Nullable Throwable failure) {
        if (!(failure instanceof ProviderException p)) {
            return false;
        }
        if (p.upstreamStatus() == 0) {
            // no HTTP answer: timeout, refused or dropped connection
            return true;
        }
        if (p.upstreamStatus() == 200) {
            // a 200 whose body was unreadable or ended with an error event
            return true;
        }
        return statuses.contains(p.upstreamStatus());
    }

    public int attempts() {
        return attempts;
    }
}
