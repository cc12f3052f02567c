package dev.tollgate.billing.reconcile;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One reconciliation of the UTC days {@code [from, to)}. {@code drift} is true when any
 * difference was found; {@code errors} names the sources that could not be read (provider
 * usage APIs, Stripe), whose checks are then missing from the report.
 */
@Serdeable(naming = SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ReconciliationReport(UUID runId,
                                   LocalDate from,
                                   LocalDate to,
                                   Instant generatedAt,
                                   boolean drift,
                                   List<Row> rows,
                                   List<StripeRow> stripe,
                                   List<Difference> differences,
                                   Map<String, String> errors) {

    /**
     * One provider, model and day. {@code events}: rolled usage events; {@code rollup_requests} /
     * {@code rollup_hourly_requests}: the daily and hourly rollups; costs as decimal strings (USD):
     * stored on the events, re-priced now with the live price book, and in the daily rollups;
     * {@code repriced_differing}: events whose re-priced cost differs from the stored one.
     * {@code served_*}: our events the provider actually served (not cache hits, not failed, not
     * embeddings); {@code provider_*}: what the provider's usage API reports (null when not asked;
     * {@code provider_requests} also null for Anthropic, which does not count requests).
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Row(LocalDate day, String provider, String model,
                      long events, long rollupRequests, long rollupHourlyRequests,
                      long inputTokens, long outputTokens, long rollupInputTokens, long rollupOutputTokens,
                      String storedCostUsd, String repricedCostUsd, String rollupCostUsd, long repricedDiffering,
                      long servedRequests, long servedInputTokens, long servedOutputTokens,
                      @Nullable Long providerRequests, @Nullable Long providerInputTokens, @Nullable Long providerOutputTokens) {
    }

    /** What was reported to Stripe for a tenant and day (micro-USD) and what Stripe's meter summaries say. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record StripeRow(LocalDate day, UUID tenantId, long reportedMicros, long stripeMicros) {
    }

    /**
     * A classified difference. {@code check}: {@code cost}, {@code provider} or {@code stripe};
     * {@code kind}: {@code missing_events}, {@code token_mismatch}, {@code price_mismatch} or
     * {@code excess_events} (Stripe counted more than was reported).
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Difference(String check, String kind, LocalDate day, @Nullable String provider, @Nullable String model,
                             @Nullable UUID tenantId, String expected, String actual, String detail) {
    }
}
