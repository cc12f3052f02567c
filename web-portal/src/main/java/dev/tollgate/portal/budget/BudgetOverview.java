package dev.tollgate.portal.budget;

import dev.tollgate.billing.budget.Budget;
import dev.tollgate.billing.budget.BudgetService;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Budgets as pages show them, read through billing's {@link BudgetService}: the current period
 * (calendar month in the tenant's time zone), the budget of a target and what it has been billed
 * so far from the hourly rollups, which is exactly what the billing worker compares with the
 * thresholds. Blocking: call from the blocking executor.
 */
@Singleton
public class BudgetOverview {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final int MAX_PERCENT = 999_999;

    private final BudgetService budgets;

    public BudgetOverview(BudgetService budgets) {
        this.budgets = budgets;
    }

    public BudgetService.Period period(UUID tenantId) {
        return budgets.currentPeriod(tenantId, Instant.now());
    }

    /** The target's budget with this period's spend, or empty when it has none. */
    public Optional<BudgetRow> row(UUID tenantId, BudgetTarget target, BudgetService.Period period) {
        return budgets.find(tenantId, target.scope(), target.scopeId()).map(b -> row(b, target, period));
    }

    /** The organization's own budget, for the dashboard. */
    public Optional<BudgetRow> tenant(UUID tenantId, String organization) {
        return row(tenantId, new BudgetTarget("tenant", tenantId, organization), period(tenantId));
    }

    private BudgetRow row(Budget b, BudgetTarget target, BudgetService.Period period) {
        BigDecimal spent = budgets.spent(b.tenantId(), b.scope(), b.scopeId(), period);
        int percent = spent.multiply(HUNDRED).divide(b.monthlyUsd(), 0, RoundingMode.DOWN).min(BigDecimal.valueOf(MAX_PERCENT)).intValue();
        String crossed = null;
        for (BigDecimal t : b.thresholds()) {
            if (spent.compareTo(b.monthlyUsd().multiply(t)) >= 0) {
                crossed = percent(t);
            }
        }
        List<String> thresholds = b.thresholds().stream().map(BudgetOverview::percent).toList();
        return new BudgetRow(target, b.monthlyUsd(), spent, percent, thresholds, b.alertEmails(), b.hardCap(), crossed);
    }

    /** A threshold fraction as a percentage without the sign: 0.5 → "50", 0.125 → "12.5". */
    static String percent(BigDecimal fraction) {
        return fraction.movePointRight(2).stripTrailingZeros().toPlainString();
    }
}
