package dev.tollgate.billing.budget;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.math.BigDecimal;
import java.util.List;

/**
 * A budget with the current period's spend. {@code monthly_usd} is null when no budget is set;
 * {@code spent_usd} is what the scope has been billed this month (tenant time zone).
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record BudgetView(String scope,
                         String scopeId,
                         @Nullable BigDecimal monthlyUsd,
                         List<BigDecimal> thresholds,
                         List<String> alertEmails,
                         boolean hardCap,
                         String period,
                         String periodStart,
                         String periodEnd,
                         BigDecimal spentUsd) {
}
