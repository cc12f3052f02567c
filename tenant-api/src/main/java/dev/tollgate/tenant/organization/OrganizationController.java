package dev.tollgate.tenant.organization;

import dev.tollgate.tenant.web.Callers;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

/** {@code /api/v1/organization}: the signed-in user's tenant, its name and its time zone. */
@Tag(name = "Organization")
@SecurityRequirement(name = "tenantToken")
@Controller("/api/v1/organization")
@Requires(property = "tollgate.tenant-api.enabled", notEquals = "false")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class OrganizationController {

    private final Callers callers;
    private final OrganizationService organizations;

    public OrganizationController(Callers callers, OrganizationService organizations) {
        this.callers = callers;
        this.organizations = organizations;
    }

    @Operation(operationId = "getOrganization", summary = "Get the organization: name, time zone, plan and limits")
    @Get
    public OrganizationView get(Authentication authentication) {
        return organizations.get(callers.of(authentication));
    }

    @Operation(operationId = "updateOrganization", summary = "Rename the organization or change its time zone (owners and admins)",
            description = "time_zone is an IANA name such as Europe/Berlin (400 with param time_zone otherwise). Quota days and "
                    + "months, budget months and invoices start at its midnight; the gateway applies a change at once.")
    @Patch
    public OrganizationView update(Authentication authentication, @Valid @Body OrganizationPatch patch) {
        return organizations.update(callers.of(authentication), patch);
    }
}
