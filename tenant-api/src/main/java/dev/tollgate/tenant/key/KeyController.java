package dev.tollgate.tenant.key;

import dev.tollgate.tenant.web.Callers;
import dev.tollgate.tenant.web.ListView;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import java.util.UUID;

/** {@code /api/v1/keys}: the signed-in tenant's API keys. */
@Tag(name = "API keys")
@SecurityRequirement(name = "tenantToken")
@Controller("/api/v1/keys")
@Requires(property = "tollgate.tenant-api.enabled", notEquals = "false")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class KeyController {

    private final Callers callers;
    private final KeyService keys;

    public KeyController(Callers callers, KeyService keys) {
        this.callers = callers;
        this.keys = keys;
    }

    @Operation(operationId = "createKey", summary = "Create an API key (its secret appears in this answer only)")
    @Post
    @Status(HttpStatus.CREATED)
    public CreatedKey create(Authentication authentication, @Valid @Body CreateKeyCommand command) {
        return keys.create(callers.of(authentication), command);
    }

    @Operation(operationId = "listKeys", summary = "List the tenant's API keys, optionally of one project")
    @Get
    public ListView<KeyView> list(Authentication authentication, @Nullable @QueryValue("project_id") UUID projectId) {
        return new ListView<>(keys.list(callers.of(authentication), projectId));
    }

    @Operation(operationId = "getKey", summary = "Get an API key")
    @Get("/{id}")
    public KeyView get(Authentication authentication, UUID id) {
        return keys.get(callers.of(authentication), id);
    }

    @Operation(operationId = "updateKey", summary = "Update an API key (\"route\": null unbinds it from its route)")
    @Patch("/{id}")
    public KeyView update(Authentication authentication, UUID id, @Valid @Body UpdateKeyCommand command) {
        return keys.update(callers.of(authentication), id, command);
    }

    @Operation(operationId = "rotateKey",
            summary = "Rotate an API key: a new secret; the old one keeps working for a grace period")
    @Post("/{id}/rotate")
    public CreatedKey rotate(Authentication authentication, UUID id, @Nullable @Valid @Body RotateKeyCommand command) {
        return keys.rotate(callers.of(authentication), id, command);
    }

    @Operation(operationId = "revokeKey", summary = "Revoke an API key",
            responses = @ApiResponse(responseCode = "204", description = "done, no content"))
    @Delete("/{id}")
    public HttpResponse<Void> revoke(Authentication authentication, UUID id) {
        keys.revoke(callers.of(authentication), id);
        return HttpResponse.noContent();
    }
}
