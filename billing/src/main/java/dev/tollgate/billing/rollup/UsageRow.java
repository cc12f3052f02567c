package dev.tollgate.billing.rollup;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

/**
 * One group of the usage query. {@code cost_usd} is what the tenant is billed (provider cost
 * times the plan's markup), a decimal string; {@code unpriced_requests} counts requests whose
 * model had no price (not included in the cost).
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record UsageRow(String group, long requests, long inputTokens, long cachedInputTokens, long outputTokens,
                       long reasoningTokens, String costUsd, long unpricedRequests) {
}
