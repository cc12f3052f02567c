package dev.tollgate.portal.invoice;

import dev.tollgate.billing.budget.BudgetService;
import dev.tollgate.portal.web.Page;
import dev.tollgate.portal.web.Viewer;
import dev.tollgate.portal.web.Viewers;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code /invoices}: the current period's running total (calendar month in the tenant's time
 * zone, as billing's budgets and invoices count it) with its lines per provider and model, and
 * the exact amount billed so far. Readable by every role of the tenant.
 */
@Controller("/invoices")
@Produces(MediaType.TEXT_HTML)
@Requires(property = "tollgate.portal.enabled", notEquals = "false")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class InvoicesController {

    private final Viewers viewers;
    private final BudgetService budgets;
    private final RunningPeriod running;

    public InvoicesController(Viewers viewers, BudgetService budgets, RunningPeriod running) {
        this.viewers = viewers;
        this.budgets = budgets;
        this.running = running;
    }

    @Get
    public HttpResponse<?> list(Authentication authentication) {
        Viewer viewer = viewers.of(authentication);
        UUID tenant = viewer.caller().tenantId();
        BudgetService.Period period = budgets.currentPeriod(tenant, Instant.now());
        List<PeriodLine> lines = running.lines(tenant, period.start(), period.end());
        return Page.of("invoices", viewer, "invoices")
                .with("title", "Invoices")
                .with("period", period)
                .with("lastDay", period.end().minusSeconds(1))
                .with("lines", lines)
                .with("total", RunningPeriod.total(lines))
                .with("exact", budgets.spent(tenant, "tenant", tenant, period))
                .ok();
    }
}
