package dev.tollgate.gateway.route;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A stored route as the API shows it.
 *
 * @param projectId null for a tenant-wide route
 * @param config    the route config, defaults written out
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record RouteView(String name, @Nullable UUID projectId, JsonNode config, Instant createdAt, Instant updatedAt) {

    static RouteView of(RouteStore.StoredRoute r) {
        return new RouteView(r.name(), r.projectId(), r.config(), r.createdAt(), r.updatedAt());
    }

    /** {@code {"data": [...]}}. */
    @Serdeable
    public record Page(List<RouteView> data) {
    }
}
