package dev.tollgate.platform.tenant;

import java.util.UUID;

/**
 * The stored routes a key may be bound to ({@code api_key.route_name}), as the module that owns
 * them (the gateway) sees them. The tenant API asks it before binding a key, so that a key never
 * names a route its tenant and project cannot see. Blocking (JDBC).
 */
public interface RouteDirectory {

    /** Whether a route of this name exists for a key of {@code projectId}: the project's own, or its tenant's. */
    boolean visible(UUID tenantId, UUID projectId, String name);
}
