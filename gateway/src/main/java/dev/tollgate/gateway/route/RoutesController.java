package dev.tollgate.gateway.route;

import dev.tollgate.gateway.api.RequestBodies;
import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.security.Role;
import dev.tollgate.platform.security.TenantUser;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

import java.util.UUID;

/**
 * {@code /api/v1/routes}: the signed-in tenant's route configs, tenant-wide or, with
 * {@code ?project_id=}, for one project. Everyone in the tenant reads them; changing them needs
 * the admin role. Another tenant's route or project answers 404. Every change reaches all gateway
 * replicas at once ({@link RouteInvalidations}).
 */
@Controller("/api/v1/routes")
@Requires(property = "tollgate.tenant-api.enabled", notEquals = "false")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class RoutesController {

    private final RouteStore store;
    private final RouteResolver resolver;
    private final RouteInvalidations invalidations;
    private final RequestBodies bodies;

    public RoutesController(RouteStore store, RouteResolver resolver, RouteInvalidations invalidations, RequestBodies bodies) {
        this.store = store;
        this.resolver = resolver;
        this.invalidations = invalidations;
        this.bodies = bodies;
    }

    @Get
    public RouteView.Page list(Authentication authentication) {
        TenantUser user = TenantUser.from(authentication);
        return new RouteView.Page(store.list(user.tenantId()).stream().map(RouteView::of).toList());
    }

    @Get("/{name}")
    public RouteView get(Authentication authentication, String name, @Nullable @QueryValue("project_id") String projectId) {
        TenantUser user = TenantUser.from(authentication);
        UUID project = project(user, projectId);
        return store.find(user.tenantId(), project, name(name)).map(RouteView::of)
                .orElseThrow(() -> notFound(name));
    }

    @Put(uri = "/{name}", consumes = MediaType.ALL)
    public RouteView put(Authentication authentication, String name, @Nullable @QueryValue("project_id") String projectId,
                         @Body @Nullable byte[] body) {
        TenantUser user = TenantUser.from(authentication).require(Role.ADMIN);
        String routeName = name(name);
        UUID project = project(user, projectId);
        RouteConfig config = RouteConfigParser.parse(bodies.parse(body), resolver.providerNames());
        RouteView view = RouteView.of(store.put(user.tenantId(), project, routeName, RouteConfigParser.write(config), user.userId()));
        changed(user, routeName);
        return view;
    }

    @Delete("/{name}")
    public HttpResponse<Void> delete(Authentication authentication, String name, @Nullable @QueryValue("project_id") String projectId) {
        TenantUser user = TenantUser.from(authentication).require(Role.ADMIN);
        String routeName = name(name);
        if (!store.delete(user.tenantId(), project(user, projectId), routeName)) {
            throw notFound(name);
        }
        changed(user, routeName);
        return HttpResponse.noContent();
    }

    /** This replica forgets the route before answering; the others hear of it over pub/sub. */
    private void changed(TenantUser user, String routeName) {
        resolver.invalidate(user.tenantId(), routeName);
        invalidations.publish(user.tenantId(), routeName);
    }

    private UUID project(TenantUser user, @Nullable String projectId) {
        if (projectId == null || projectId.isBlank()) {
            return null;
        }
        UUID id;
        try {
            id = UUID.fromString(projectId.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("project_id must be a UUID", "project_id");
        }
        store.requireProject(user.tenantId(), id);
        return id;
    }

    private static String name(String name) {
        if (!RouteStore.NAME.matcher(name).matches()) {
            throw ApiException.badRequest("a route name is 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit", "name");
        }
        return name;
    }

    private static ApiException notFound(String name) {
        return ApiException.notFound("no route named '" + name + "'", "route_not_found");
    }
}
