package dev.tollgate.portal.key;

import dev.tollgate.platform.tenant.RouteDirectory.RouteName;
import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A stored route as the key form offers it: its name, and the project whose keys alone may bind
 * it (null: tenant-wide, every key may).
 */
public record RouteChoice(String name, @Nullable UUID projectId, String label) {

    /** The tenant's routes, tenant-wide first; routes of deleted projects are left out. */
    static List<RouteChoice> of(List<RouteName> routes, Map<UUID, String> projectNames) {
        return routes.stream()
                .filter(r -> r.projectId() == null || projectNames.containsKey(r.projectId()))
                .map(r -> new RouteChoice(r.name(), r.projectId(), r.projectId() == null ? r.name() + " (organization)"
                        : r.name() + " (project " + projectNames.get(r.projectId()) + ")"))
                .toList();
    }

    /**
     * The routes a key of {@code projectId} may bind: the project's own, and the tenant-wide ones it
     * has none of the same name of (a key follows its project's route when both exist).
     */
    static List<RouteChoice> visibleTo(List<RouteChoice> all, UUID projectId) {
        Set<String> own = all.stream().filter(r -> projectId.equals(r.projectId())).map(RouteChoice::name).collect(Collectors.toSet());
        return all.stream()
                .filter(r -> projectId.equals(r.projectId()) || (r.projectId() == null && !own.contains(r.name())))
                .toList();
    }
}
