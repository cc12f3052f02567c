package dev.tollgate.platform.tenant;

import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.UUID;

/**
 * The stored routes a key may be bound to ({@code api_key.route_name}), as the module that owns
 * them (the gateway) sees them. The tenant API asks it before binding a key, so that a key never
 * names a route its tenant and project cannot see. Blocking (JDBC).
 */
public interface RouteDirectory {

    /**
     * A stored route by name and scope, without its config.
     *
     * @param projectId the project that owns it; null for a tenant-wide route, which every project's keys see
     */
    record RouteName(String name, @Nullable UUID projectId) {
    }

    /** Whether a route of this name exists for a key of {@code projectId}: the project's own, or its tenant's. */
    boolean visible(UUID tenantId, UUID projectId, String name);

    /** Every route of the tenant, tenant-wide ones first, then by project and name. */
    List<RouteName> names(UUID tenantId);
}
