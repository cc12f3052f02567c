package dev.tollgate.app;

import dev.tollgate.billing.budget.BudgetController;
import dev.tollgate.billing.mail.OutboxController;
import dev.tollgate.billing.preview.CostPreviewController;
import dev.tollgate.billing.price.PricesAdminController;
import dev.tollgate.billing.rollup.RepriceAdminController;
import dev.tollgate.billing.rollup.UsageController;
import dev.tollgate.tenant.account.AccountController;
import dev.tollgate.tenant.key.KeyController;
import dev.tollgate.tenant.member.InviteController;
import dev.tollgate.tenant.member.MemberController;
import dev.tollgate.tenant.operator.ProviderCredentialController;
import dev.tollgate.tenant.operator.TenantAdminController;
import dev.tollgate.tenant.organization.OrganizationController;
import dev.tollgate.tenant.project.ProjectController;
import dev.tollgate.gateway.guard.ProjectSettingsController;
import dev.tollgate.gateway.route.ModelMappingsAdminController;
import dev.tollgate.gateway.route.RoutesController;
import dev.tollgate.billing.invoice.InvoiceAdminController;
import dev.tollgate.billing.invoice.InvoiceController;
import dev.tollgate.billing.reconcile.ReconciliationController;
import dev.tollgate.billing.report.MailPreferenceController;
import io.micronaut.openapi.annotation.OpenAPIInclude;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.security.SecuritySchemes;

/**
 * The OpenAPI document of the management API ({@code /api/v1}, {@code /admin/v1}), generated at
 * compile time by micronaut-openapi into {@code META-INF/swagger/tollgate.yml} and served, with a
 * Swagger UI, at {@code /swagger/tollgate.yml} and {@code /swagger-ui/}.
 *
 * <p>The controllers live in other modules, so they are listed here rather than found by the
 * processor; a controller missing from this list fails {@code OpenApiDocumentTest}. Controllers name
 * their security scheme by the names declared here: {@value #TENANT_TOKEN} (the JWT from sign-up or
 * login) and {@value #ADMIN_TOKEN} (the operator's admin token).
 */
@OpenAPIDefinition(info = @Info(
        title = "Tollgate management API",
        version = "v1",
        description = "Tenant self-service under /api/v1 (bearer JWT from sign-up or login) and the "
                + "operator API under /admin/v1 (bearer admin token). JSON bodies are snake_case; lists are "
                + "{\"data\": [...]}; errors have OpenAI's shape "
                + "{\"error\": {\"message\", \"type\", \"param\", \"code\", \"fields\"}}."))
@SecuritySchemes({
        @SecurityScheme(name = ManagementApi.TENANT_TOKEN, type = SecuritySchemeType.HTTP, scheme = "bearer",
                bearerFormat = "JWT", description = "access_token from POST /api/v1/signup or /api/v1/login"),
        @SecurityScheme(name = ManagementApi.ADMIN_TOKEN, type = SecuritySchemeType.HTTP, scheme = "bearer",
                description = "the operator's admin token (TOLLGATE_ADMIN_TOKEN or $TOLLGATE_HOME/admin-token)")
})
@OpenAPIInclude(classes = {
        AccountController.class, InviteController.class, ProjectController.class, MemberController.class,
        KeyController.class, UsageController.class, BudgetController.class, OutboxController.class,
        TenantAdminController.class, ProviderCredentialController.class, PricesAdminController.class,
        RepriceAdminController.class, CostPreviewController.class, InvoiceController.class,
        InvoiceAdminController.class, ReconciliationController.class, MailPreferenceController.class,
        RoutesController.class, ProjectSettingsController.class, ModelMappingsAdminController.class,
        OrganizationController.class})
final class ManagementApi {

    /** Security scheme of {@code /api/v1}: the bearer JWT of a signed-in user. */
    static final String TENANT_TOKEN = "tenantToken";
    /** Security scheme of {@code /admin/v1}: the bearer admin token. */
    static final String ADMIN_TOKEN = "adminToken";

    private ManagementApi() {
    }
}
