package dev.tollgate.tenant.operator;

import dev.tollgate.tenant.web.ListView;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import java.util.UUID;

/**
 * {@code /admin/v1/tenants}: the operator's view of every tenant. Anonymous to Micronaut
 * Security; {@link dev.tollgate.platform.admin.AdminTokenFilter} requires the admin token.
 */
@Tag(name = "Operator: tenants")
@SecurityRequirement(name = "adminToken")
@Controller("/admin/v1/tenants")
@Requires(property = "tollgate.tenant-api.enabled", notEquals = "false")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class TenantAdminController {

    private final TenantAdminService tenants;

    public TenantAdminController(TenantAdminService tenants) {
        this.tenants = tenants;
    }

    @Operation(operationId = "listTenants", summary = "List tenants, optionally by status")
    @Get
    public ListView<TenantView> list(@Nullable @QueryValue @Pattern(regexp = "active|suspended", message = "must be active or suspended") String status,
                                     @QueryValue(defaultValue = "100") @Min(1) @Max(1000) int limit,
                                     @QueryValue(defaultValue = "0") @Min(0) int offset) {
        return new ListView<>(tenants.list(status, limit, offset));
    }

    @Operation(operationId = "getTenant", summary = "Get a tenant")
    @Get("/{id}")
    public TenantView get(UUID id) {
        return tenants.get(id);
    }

    @Operation(operationId = "updateTenant", summary = "Update a tenant")
    @Patch("/{id}")
    public TenantView update(UUID id, @Valid @Body TenantPatch patch) {
        return tenants.update(id, patch);
    }

    @Operation(operationId = "suspendTenant", summary = "Suspend a tenant")
    @Post("/{id}/suspend")
    public TenantView suspend(UUID id) {
        return tenants.setStatus(id, "suspended");
    }

    @Operation(operationId = "reinstateTenant", summary = "Reinstate a suspended tenant")
    @Post("/{id}/reinstate")
    public TenantView reinstate(UUID id) {
        return tenants.setStatus(id, "active");
    }
}
