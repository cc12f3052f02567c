package dev.tollgate.portal.usage;

import io.micronaut.core.annotation.Nullable;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One request of the request log, from its usage event: keys appear by name and public prefix
 * only. {@code logged} says whether its redacted prompt and answer were kept (the project opted
 * in to request logging); {@code attempts} counts the routing attempts recorded (0 when it was
 * not routed by a route config).
 */
public record RequestRow(String requestId, Instant occurredAt, @Nullable String keyName, @Nullable String keyPrefix,
                         @Nullable String projectName, String endpoint, @Nullable String modelRequested,
                         @Nullable String model, @Nullable String provider, boolean streamed, int status,
                         @Nullable String errorType, String cacheStatus, long inputTokens, long cachedTokens,
                         long cacheWriteTokens, long outputTokens, long reasoningTokens, long latencyMs,
                         @Nullable Long upstreamLatencyMs, @Nullable Long ttftMs, @Nullable BigDecimal cost,
                         @Nullable BigDecimal saved, boolean priced, @Nullable String priceRef, int attempts,
                         boolean logged) {

    public boolean ok() {
        return status < 400;
    }

    public boolean cacheHit() {
        return cacheStatus.endsWith("hit");
    }

    /** Routing attempts after the first one: retries and fallbacks. */
    public int fallbacks() {
        return Math.max(0, attempts - 1);
    }

    /** Where the next page of the log starts: after this row. */
    public String cursor() {
        return RequestCursor.after(this).token();
    }
}
