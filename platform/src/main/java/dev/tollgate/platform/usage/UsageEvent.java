package dev.tollgate.platform.usage;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * What one request through the gateway used: the row of {@code usage_event}. Exactly one per
 * request id, whatever the outcome; {@code requestId} is the idempotency key.
 *
 * @param cacheStatus {@code none}, {@code miss}, {@code hit}, {@code semantic_hit} or {@code bypass}
 * @param costUsd     provider cost (null when unpriced)
 * @param billedUsd   what the tenant is charged: cost times the plan markup (null when unpriced)
 * @param savedUsd    on a cache hit, what the upstream call would have cost
 * @param priceRef    the price row used, e.g. {@code genai-prices@47df840:openai/gpt-4o}
 * @param attempts    JSON array of routing attempts (target, outcome, latency), may be null
 */
@Serdeable
public record UsageEvent(String requestId,
                         Instant occurredAt,
                         UUID tenantId,
                         @Nullable UUID projectId,
                         @Nullable UUID apiKeyId,
                         String endpoint,
                         @Nullable String modelRequested,
                         @Nullable String modelServed,
                         @Nullable String provider,
                         boolean streamed,
                         int status,
                         @Nullable String errorType,
                         String cacheStatus,
                         TokenUsage usage,
                         long latencyMs,
                         @Nullable Long upstreamLatencyMs,
                         @Nullable Long ttftMs,
                         @Nullable BigDecimal costUsd,
                         @Nullable BigDecimal billedUsd,
                         @Nullable BigDecimal savedUsd,
                         @Nullable String priceRef,
                         boolean priced,
                         @Nullable String attempts) {
}
