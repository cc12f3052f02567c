package dev.tollgate.portal.budget;

import io.micronaut.core.annotation.Nullable;

import java.math.BigDecimal;
import java.util.List;

/**
 * One budget as the page lists it: the target, the monthly amount, what has been billed this
 * period ({@code percent} of the budget, rounded down), the thresholds as percentages, who is
 * alerted and whether it is a hard cap. {@code crossed} is the highest threshold reached, or null.
 */
public record BudgetRow(BudgetTarget target, BigDecimal monthlyUsd, BigDecimal spentUsd, int percent,
                        List<String> thresholds, List<String> alertEmails, boolean hardCap, @Nullable String crossed) {

    /** The progress bar's value (at most 100). */
    public int bar() {
        return Math.min(100, percent);
    }
}
