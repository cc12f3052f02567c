package dev.tollgate.platform.simulator;

import io.micronaut.core.annotation.Nullable;

import java.util.Objects;
import java.util.Set;

/**
 * A fault to inject into matching provider requests.
 *
 * <p>A fault fires either for its next {@code count} matching requests (then it is used up), or
 * for each matching request with probability {@code rate}, or, with neither, for every matching
 * request until the faults are cleared.
 *
 * @param provider          {@code openai}, {@code azure}, {@code anthropic} or {@code gemini}; null matches all
 * @param model             exact model (Azure: deployment) name; null matches all
 * @param status            HTTP status of {@link FaultMode#ERROR} answers
 * @param count             number of requests to fail, or null
 * @param rate              probability in {@code [0, 1]} of failing each request, or null
 * @param latencyMs         delay before the fault shows; for {@link FaultMode#TIMEOUT} how long the request is held
 * @param mode              what the fault does
 * @param retryAfterSeconds value of a {@code Retry-After} header on error answers, or null
 */
public record Fault(@Nullable String provider,
                    @Nullable String model,
                    int status,
                    @Nullable Integer count,
                    @Nullable Double rate,
                    @Nullable Long latencyMs,
                    FaultMode mode,
                    @Nullable Integer retryAfterSeconds) {

    /** Providers a fault can target. */
    public static final Set<String> PROVIDERS = Set.of("openai", "azure", "anthropic", "gemini");
    static final long DEFAULT_TIMEOUT_MS = 30_000;

    public Fault {
        Objects.requireNonNull(mode, "mode");
        if (provider != null && !PROVIDERS.contains(provider)) {
            throw new IllegalArgumentException("provider must be one of " + PROVIDERS);
        }
        if (mode == FaultMode.ERROR && (status < 400 || status > 599)) {
            throw new IllegalArgumentException("status must be an HTTP error status (400-599)");
        }
        if (count != null && rate != null) {
            throw new IllegalArgumentException("give either count or rate, not both");
        }
        if (count != null && count < 1) {
            throw new IllegalArgumentException("count must be at least 1");
        }
        if (rate != null && (rate.isNaN() || rate < 0 || rate > 1)) {
            throw new IllegalArgumentException("rate must be between 0 and 1");
        }
        if (latencyMs != null && latencyMs < 0) {
            throw new IllegalArgumentException("latency_ms cannot be negative");
        }
        if (retryAfterSeconds != null && retryAfterSeconds < 0) {
            throw new IllegalArgumentException("retry_after_seconds cannot be negative");
        }
    }

    /** An error answer with {@code status} for every request of {@code provider} (null: every provider). */
    public static Fault error(@Nullable String provider, int status) {
        return new Fault(provider, null, status, null, null, null, FaultMode.ERROR, null);
    }

    /** A fault of the given non-error mode for every request of {@code provider} (null: every provider). */
    public static Fault of(@Nullable String provider, FaultMode mode) {
        return new Fault(provider, null, mode == FaultMode.ERROR ? 500 : 0, null, null, null, mode, null);
    }

    public Fault forModel(@Nullable String modelName) {
        return new Fault(provider, modelName, status, count, rate, latencyMs, mode, retryAfterSeconds);
    }

    public Fault times(int requests) {
        return new Fault(provider, model, status, requests, null, latencyMs, mode, retryAfterSeconds);
    }

    public Fault withRate(double probability) {
        return new Fault(provider, model, status, null, probability, latencyMs, mode, retryAfterSeconds);
    }

    public Fault withLatencyMs(long delayMs) {
        return new Fault(provider, model, status, count, rate, delayMs, mode, retryAfterSeconds);
    }

    public Fault withRetryAfterSeconds(int seconds) {
        return new Fault(provider, model, status, count, rate, latencyMs, mode, seconds);
    }

    boolean matches(String requestProvider, String requestModel) {
        return (provider == null || provider.equals(requestProvider))
            && (model == null || model.equals(requestModel));
    }
}
