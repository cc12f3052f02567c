package dev.tollgate.gateway.guard;

import dev.tollgate.gateway.api.RequestBodies;
import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.security.Role;
import dev.tollgate.platform.security.TenantUser;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.util.UUID;

/**
 * {@code /api/v1/projects/{id}/settings}: a project's guardrails ({@code pii}, {@code request_logging}).
 * Everyone in the tenant reads them; changing them needs the admin role; a PUT changes the keys it
 * names. Another tenant's project answers 404.
 */
@Controller("/api/v1/projects/{id}/settings")
@Requires(property = "tollgate.tenant-api.enabled", notEquals = "false")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ProjectSettingsController {

    /** The settings as the API shows them. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record SettingsView(String pii, boolean requestLogging) {
        static SettingsView of(ProjectSettings s) {
            return new SettingsView(s.pii().wireName(), s.requestLogging());
        }
    }

    private final ProjectSettingsStore store;
    private final RequestBodies bodies;

    public ProjectSettingsController(ProjectSettingsStore store, RequestBodies bodies) {
        this.store = store;
        this.bodies = bodies;
    }

    @Get
    public SettingsView get(Authentication authentication, String id) {
        TenantUser user = TenantUser.from(authentication);
        return SettingsView.of(store.read(user.tenantId(), uuid(id)));
    }

    @Put(consumes = MediaType.ALL)
    public SettingsView put(Authentication authentication, String id, @Body @Nullable byte[] body) {
        TenantUser user = TenantUser.from(authentication).require(Role.ADMIN);
        UUID project = uuid(id);
        ProjectSettings current = store.read(user.tenantId(), project);
        return SettingsView.of(store.write(user.tenantId(), project, ProjectSettings.parse(bodies.parse(body), current)));
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("the project id must be a UUID", "id");
        }
    }
}
