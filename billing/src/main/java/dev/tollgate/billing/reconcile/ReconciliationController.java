package dev.tollgate.billing.reconcile;

import dev.tollgate.platform.http.ApiException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * {@code GET /admin/v1/reconciliation?from=YYYY-MM-DD&to=YYYY-MM-DD}: reconciles the UTC days
 * {@code [from, to)} now (default: yesterday and today; at most 93 days) and returns the
 * report; the run and its differences are stored like a scheduled one.
 */
@Controller("/admin/v1/reconciliation")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "tollgate.billing.enabled", notEquals = "false")
public class ReconciliationController {

    private static final long MAX_DAYS = 93;
    private final Reconciler reconciler;

    public ReconciliationController(Reconciler reconciler) {
        this.reconciler = reconciler;
    }

    @Get
    public ReconciliationReport reconcile(@QueryValue @Nullable String from, @QueryValue @Nullable String to) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate end = day(to, "to", today.plusDays(1));
        LocalDate start = day(from, "from", end.minusDays(2));
        if (!start.isBefore(end)) {
            throw ApiException.badRequest("from must be before to", "from");
        }
        if (ChronoUnit.DAYS.between(start, end) > MAX_DAYS) {
            throw ApiException.badRequest("the range may span at most " + MAX_DAYS + " days", "from");
        }
        return reconciler.run(start, end, "admin");
    }

    private static LocalDate day(@Nullable String text, String param, LocalDate fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(param + " must be a date such as 2026-03-01 (UTC days)", param);
        }
    }
}
