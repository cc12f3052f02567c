package dev.tollgate.billing.budget;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.math.BigDecimal;
import java.util.List;

/** Body of {@code PUT .../budget}: {@code monthly_usd} required; thresholds default to 0.5, 0.8, 1.0. */
@Serdeable(naming = SnakeCaseStrategy.class)
public record BudgetCommand(@Nullable BigDecimal monthlyUsd,
                            @Nullable List<BigDecimal> thresholds,
                            @Nullable List<String> alertEmails,
                            @Nullable Boolean hardCap) {
}
