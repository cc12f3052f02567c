package dev.tollgate.billing.invoice;

import dev.tollgate.billing.budget.BudgetService;
import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.security.TenantUser;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The signed-in tenant's invoices: {@code GET /api/v1/invoices?limit=} lists them newest first
 * with {@code upcoming}, the current period's running total read live from the rollups;
 * {@code GET /api/v1/invoices/{id}} shows one with its lines. Another tenant's invoice is 404.
 */
@Controller("/api/v1/invoices")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "tollgate.billing.enabled", notEquals = "false")
public class InvoiceController {

    private final InvoiceStore store;
    private final BudgetService budgets;

    public InvoiceController(InvoiceStore store, BudgetService budgets) {
        this.store = store;
        this.budgets = budgets;
    }

    @Get
    public Map<String, Object> list(Authentication auth, @QueryValue @Nullable Integer limit) {
        TenantUser user = TenantUser.from(auth);
        int n = limit == null ? 24 : limit;
        if (n < 1 || n > 200) {
            throw ApiException.badRequest("limit must be between 1 and 200", "limit");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", store.list(user.tenantId(), n));
        body.put("upcoming", store.upcoming(user.tenantId(), budgets.timeZone(user.tenantId()), Instant.now()));
        return body;
    }

    @Get("/{id}")
    public InvoiceView one(Authentication auth, @PathVariable String id) {
        TenantUser user = TenantUser.from(auth);
        UUID invoiceId;
        try {
            invoiceId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("no such invoice " + id, "not_found");
        }
        return store.find(user.tenantId(), invoiceId)
                .orElseThrow(() -> ApiException.notFound("no such invoice " + id, "not_found"));
    }
}
