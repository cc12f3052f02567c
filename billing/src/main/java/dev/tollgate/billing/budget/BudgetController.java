package dev.tollgate.billing.budget;

import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.security.Role;
import dev.tollgate.platform.security.TenantUser;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Budgets of the signed-in tenant, its projects and keys. Anyone in the tenant reads them;
 * changing needs the admin role. Another tenant's project or key answers 404.
 */
@Tag(name = "Usage and budgets")
@SecurityRequirement(name = "tenantToken")
@Controller("/api/v1")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "tollgate.billing.enabled", notEquals = "false")
public class BudgetController {

    private final BudgetService budgets;

    public BudgetController(BudgetService budgets) {
        this.budgets = budgets;
    }

    @Operation(summary = "Get the tenant's monthly budget")
    @Get("/budget")
    public BudgetView tenantBudget(Authentication auth) {
        TenantUser user = TenantUser.from(auth);
        return view(user.tenantId(), "tenant", user.tenantId());
    }

    @Operation(summary = "Set the tenant's monthly budget, alert thresholds and hard cap")
    @Put("/budget")
    public BudgetView putTenantBudget(Authentication auth, @Body BudgetCommand command) {
        TenantUser user = TenantUser.from(auth).require(Role.ADMIN);
        return save(user.tenantId(), "tenant", user.tenantId(), command);
    }

    @Operation(summary = "Get a project's monthly budget")
    @Get("/projects/{id}/budget")
    public BudgetView projectBudget(Authentication auth, @PathVariable String id) {
        TenantUser user = TenantUser.from(auth);
        return view(user.tenantId(), "project", scope(user, "project", id));
    }

    @Operation(summary = "Set a project's monthly budget")
    @Put("/projects/{id}/budget")
    public BudgetView putProjectBudget(Authentication auth, @PathVariable String id, @Body BudgetCommand command) {
        TenantUser user = TenantUser.from(auth);
        UUID scopeId = scope(user, "project", id);
        user.require(Role.ADMIN);
        return save(user.tenantId(), "project", scopeId, command);
    }

    @Operation(summary = "Get an API key's monthly budget")
    @Get("/keys/{id}/budget")
    public BudgetView keyBudget(Authentication auth, @PathVariable String id) {
        TenantUser user = TenantUser.from(auth);
        return view(user.tenantId(), "key", scope(user, "key", id));
    }

    @Operation(summary = "Set an API key's monthly budget")
    @Put("/keys/{id}/budget")
    public BudgetView putKeyBudget(Authentication auth, @PathVariable String id, @Body BudgetCommand command) {
        TenantUser user = TenantUser.from(auth);
        UUID scopeId = scope(user, "key", id);
        user.require(Role.ADMIN);
        return save(user.tenantId(), "key", scopeId, command);
    }

    private UUID scope(TenantUser user, String scope, String id) {
        UUID scopeId;
        try {
            scopeId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("no " + scope + " " + id, "not_found");
        }
        if (!budgets.scopeExists(user.tenantId(), scope, scopeId)) {
            throw ApiException.notFound("no " + scope + " " + id, "not_found");
        }
        return scopeId;
    }

    private BudgetView save(UUID tenantId, String scope, UUID scopeId, BudgetCommand command) {
        budgets.save(tenantId, scope, scopeId, command);
        return view(tenantId, scope, scopeId);
    }

    private BudgetView view(UUID tenantId, String scope, UUID scopeId) {
        BudgetService.Period period = budgets.currentPeriod(tenantId, Instant.now());
        BigDecimal spent = budgets.spent(tenantId, scope, scopeId, period).setScale(6, RoundingMode.HALF_UP);
        return budgets.find(tenantId, scope, scopeId)
                .map(b -> new BudgetView(scope, scopeId.toString(), b.monthlyUsd(), b.thresholds(), b.alertEmails(), b.hardCap(),
                        period.month().toString(), period.start().toString(), period.end().toString(), spent))
                .orElse(new BudgetView(scope, scopeId.toString(), null, Budget.DEFAULT_THRESHOLDS, List.of(), false,
                        period.month().toString(), period.start().toString(), period.end().toString(), spent));
    }
}
