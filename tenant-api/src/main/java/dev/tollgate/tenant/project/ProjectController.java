package dev.tollgate.tenant.project;

import dev.tollgate.tenant.web.Callers;
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
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import java.util.UUID;

/** {@code /api/v1/projects}: the signed-in tenant's projects. */
@Tag(name = "Projects")
@SecurityRequirement(name = "tenantToken")
@Controller("/api/v1/projects")
@Requires(property = "tollgate.tenant-api.enabled", notEquals = "false")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ProjectController {

    private final Callers callers;
    private final ProjectService projects;

    public ProjectController(Callers callers, ProjectService projects) {
        this.callers = callers;
        this.projects = projects;
    }

    @Operation(operationId = "listProjects", summary = "List the tenant's projects")
    @Get
    public ListView<ProjectView> list(Authentication authentication) {
        return new ListView<>(projects.list(callers.of(authentication)));
    }

    @Operation(operationId = "createProject", summary = "Create a project")
    @Post
    @Status(HttpStatus.CREATED)
    public ProjectView create(Authentication authentication, @Valid @Body ProjectCommand command) {
        return projects.create(callers.of(authentication), command);
    }

    @Operation(operationId = "getProject", summary = "Get a project")
    @Get("/{id}")
    public ProjectView get(Authentication authentication, UUID id) {
        return projects.get(callers.of(authentication), id);
    }

    @Operation(operationId = "updateProject", summary = "Update a project")
    @Patch("/{id}")
    public ProjectView update(Authentication authentication, UUID id, @Valid @Body ProjectCommand command) {
        return projects.update(callers.of(authentication), id, command);
    }

    @Operation(operationId = "deleteProject", summary = "Delete a project",
            responses = @ApiResponse(responseCode = "204", description = "done, no content"))
    @Delete("/{id}")
    public HttpResponse<Void> delete(Authentication authentication, UUID id) {
        projects.delete(callers.of(authentication), id);
        return HttpResponse.noContent();
    }
}
