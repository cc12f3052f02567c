package dev.tollgate.tenant.operator;

import dev.tollgate.tenant.web.ListView;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import java.util.UUID;

/** {@code /admin/v1/provider-credentials}: upstream provider keys, stored sealed, returned masked. */
@Tag(name = "Operator: provider credentials")
@SecurityRequirement(name = "adminToken")
@Controller("/admin/v1/provider-credentials")
@Requires(property = "tollgate.tenant-api.enabled", notEquals = "false")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ProviderCredentialController {

    private final ProviderCredentialService credentials;

    public ProviderCredentialController(ProviderCredentialService credentials) {
        this.credentials = credentials;
    }

    @Operation(operationId = "listProviderCredentials", summary = "List provider credentials (secrets masked)")
    @Get
    public ListView<ProviderCredentialView> list() {
        return new ListView<>(credentials.list());
    }

    @Operation(operationId = "createProviderCredential", summary = "Add a provider credential (sealed at rest)")
    @Post
    @Status(HttpStatus.CREATED)
    public ProviderCredentialView create(@Valid @Body ProviderCredentialCommand command) {
        return credentials.create(command);
    }

    @Operation(operationId = "getProviderCredential", summary = "Get a provider credential (secret masked)")
    @Get("/{id}")
    public ProviderCredentialView get(UUID id) {
        return credentials.get(id);
    }

    @Operation(operationId = "updateProviderCredential", summary = "Update a provider credential")
    @Patch("/{id}")
    public ProviderCredentialView update(UUID id, @Valid @Body ProviderCredentialCommand command) {
        return credentials.update(id, command);
    }

    @Operation(operationId = "deleteProviderCredential", summary = "Delete a provider credential",
            responses = @ApiResponse(responseCode = "204", description = "done, no content"))
    @Delete("/{id}")
    public HttpResponse<Void> delete(UUID id) {
        credentials.delete(id);
        return HttpResponse.noContent();
    }
}
