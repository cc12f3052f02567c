package dev.tollgate.portal.invoice;

import dev.tollgate.billing.budget.BudgetService;
import dev.tollgate.billing.invoice.InvoiceStore;
import dev.tollgate.billing.invoice.UpcomingView;
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
 * zone) with its lines per provider and model and the exact amount billed so far, then the
 * tenant's invoices newest first: what {@code GET /api/v1/invoices} serves, read through
 * billing's {@link InvoiceStore}. The current period's local draft is not listed: it is the
 * running total above, which is read live while the draft is refreshed every few minutes.
 * Readable by every role of the tenant.
 */
@Controller("/invoices")
@Produces(MediaType.TEXT_HTML)
@Requires(property = "tollgate.portal.enabled", notEquals = "false")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class InvoicesController {

    /** Invoices listed: two years of monthly ones. */
    static final int LIMIT = 24;

    private final Viewers viewers;
    private final BudgetService budgets;
    private final InvoiceStore invoices;

    public InvoicesController(Viewers viewers, BudgetService budgets, InvoiceStore invoices) {
        this.viewers = viewers;
        this.budgets = budgets;
        this.invoices = invoices;
    }

    @Get
    public HttpResponse<?> list(Authentication authentication) {
        Viewer viewer = viewers.of(authentication);
        UUID tenant = viewer.caller().tenantId();
        Instant now = Instant.now();
        UpcomingView upcoming = invoices.upcoming(tenant, budgets.timeZone(tenant), now);
        List<InvoiceRow> rows = invoices.list(tenant, LIMIT).stream()
                .filter(i -> !("local".equals(i.source()) && "draft".equals(i.status()) && i.periodStart().equals(upcoming.periodStart())))
                .map(InvoiceRow::of)
                .toList();
        return Page.of("invoices", viewer, "invoices")
                .with("title", "Invoices")
                .with("upcoming", upcoming)
                .with("lastDay", upcoming.periodEnd().minusSeconds(1))
                .with("exact", budgets.spent(tenant, "tenant", tenant, budgets.currentPeriod(tenant, now)))
                .with("invoices", rows)
                .ok();
    }
}
