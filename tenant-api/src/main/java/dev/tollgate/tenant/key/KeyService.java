package dev.tollgate.tenant.key;

import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.security.Role;
import dev.tollgate.platform.tenant.KeyInvalidations;
import dev.tollgate.platform.tenant.KeyScopes;
import dev.tollgate.platform.tenant.Limits;
import dev.tollgate.platform.tenant.RouteDirectory;
import dev.tollgate.tenant.web.Caller;
import dev.tollgate.tenant.web.Db;
import dev.tollgate.tenant.web.TenantApiConfiguration;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The rules of API keys: viewers read, members and above change; input checks beyond bean
 * validation (endpoint names, model globs, metadata sizes, expiry in the future, the project
 * belonging to the caller's tenant, a bound route existing for the key's project or tenant); and
 * an invalidation message after every change, which is also how a new route binding reaches the
 * gateways at once. Without a {@link RouteDirectory} (no gateway module) no route exists to bind.
 */
@Singleton
public class KeyService {

    /** Endpoint scopes a key may be limited to. */
    public static final Set<String> ENDPOINTS = Set.of("chat", "embeddings", "messages");

    private final Db db;
    private final KeyStore store;
    private final KeyInvalidations invalidations;
    private final TenantApiConfiguration configuration;
    private final Optional<RouteDirectory> routes;

    public KeyService(Db db, KeyStore store, KeyInvalidations invalidations, TenantApiConfiguration configuration,
                      Optional<RouteDirectory> routes) {
        this.db = db;
        this.store = store;
        this.invalidations = invalidations;
        this.configuration = configuration;
        this.routes = routes;
    }

    public CreatedKey create(Caller caller, CreateKeyCommand command) {
        caller.requireChange(Role.MEMBER);
        Map<String, String> errors = new LinkedHashMap<>();
        KeyScopes scopes = scopes(command.scopes(), errors);
        Map<String, String> metadata = metadata(command.metadata(), errors);
        checkExpiry(command.expiresAt(), errors);
        failOn(errors);
        return db.tx(c -> {
            UUID project = project(c, caller.tenantId(), command.projectId());
            KeyStore.NewKey key = new KeyStore.NewKey(command.name().trim(), scopes,
                    command.limits() == null ? Limits.NONE : command.limits(), command.expiresAt(), metadata,
                    route(caller.tenantId(), project, command.route()));
            return store.insert(c, caller.tenantId(), project, key);
        });
    }

    public List<KeyView> list(Caller caller, @Nullable UUID projectId) {
        caller.require(Role.VIEWER);
        return db.read(c -> store.list(c, caller.tenantId(), projectId));
    }

    /** The stored routes of the caller's tenant a key may be bound to (each key only to its project's or the tenant-wide ones). */
    public List<RouteDirectory.RouteName> routes(Caller caller) {
        caller.require(Role.VIEWER);
        return routes.map(r -> r.names(caller.tenantId())).orElse(List.of());
    }

    public KeyView get(Caller caller, UUID id) {
        caller.require(Role.VIEWER);
        return db.read(c -> store.find(c, caller.tenantId(), id, false)).orElseThrow(KeyService::notFound);
    }

    public KeyView update(Caller caller, UUID id, UpdateKeyCommand command) {
        caller.requireChange(Role.MEMBER);
        Map<String, String> errors = new LinkedHashMap<>();
        KeyScopes scopes = command.scopes() == null ? null : scopes(command.scopes(), errors);
        Map<String, String> metadata = command.metadata() == null ? null : metadata(command.metadata(), errors);
        checkExpiry(command.expiresAt(), errors);
        failOn(errors);
        KeyView updated = db.tx(c -> {
            KeyView current = store.find(c, caller.tenantId(), id, true).orElseThrow(KeyService::notFound);
            store.update(c, caller.tenantId(), id,
                    command.name() == null ? current.name() : command.name().trim(),
                    scopes == null ? current.scopes() : scopes,
                    command.limits() == null ? current.limits() : command.limits(),
                    command.expiresAt() == null ? current.expiresAt() : command.expiresAt(),
                    metadata == null ? current.metadata() : metadata,
                    command.route() == null ? current.route() : route(caller.tenantId(), current.projectId(), command.route().name()));
            return store.find(c, caller.tenantId(), id, false).orElseThrow();
        });
        invalidations.publishKey(publicId(updated));
        return updated;
    }

    public CreatedKey rotate(Caller caller, UUID id, @Nullable RotateKeyCommand command) {
        caller.requireChange(Role.MEMBER);
        Duration grace = command == null || command.graceSeconds() == null
                ? configuration.defaultRotationGrace() : Duration.ofSeconds(command.graceSeconds());
        if (grace.compareTo(configuration.maxRotationGrace()) > 0) {
            throw ApiException.invalidFields("grace_seconds is too long",
                    Map.of("grace_seconds", "must be at most " + configuration.maxRotationGrace().toSeconds()));
        }
        CreatedKey rotated = db.tx(c -> {
            KeyView current = store.find(c, caller.tenantId(), id, true).orElseThrow(KeyService::notFound);
            if (current.revokedAt() != null) {
                throw ApiException.conflict("This key is revoked; create a new key instead", "key_revoked");
            }
            String key = store.rotate(c, caller.tenantId(), id, publicId(current), Instant.now().plus(grace));
            return new CreatedKey(key, store.find(c, caller.tenantId(), id, false).orElseThrow());
        });
        invalidations.publishKey(publicId(rotated.view()));
        return rotated;
    }

    public void revoke(Caller caller, UUID id) {
        caller.require(Role.MEMBER);
        KeyView key = db.tx(c -> {
            KeyView current = store.find(c, caller.tenantId(), id, true).orElseThrow(KeyService::notFound);
            store.revoke(c, caller.tenantId(), id);
            return current;
        });
        invalidations.publishKey(publicId(key));
    }

    /** The project a new key goes to: the one named (of this tenant, not deleted), else the oldest. */
    private static UUID project(Connection c, UUID tenantId, @Nullable UUID projectId) throws SQLException {
        String sql = projectId == null
                ? "select id from project where tenant_id = ? and deleted_at is null order by created_at, id limit 1"
                : "select id from project where tenant_id = ? and deleted_at is null and id = ?";
        try (PreparedStatement ps = projectId == null ? Db.prepare(c, sql, tenantId) : Db.prepare(c, sql, tenantId, projectId);
             ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                return rs.getObject(1, UUID.class);
            }
        }
        if (projectId == null) {
            throw ApiException.badRequest("This organization has no project; create one first", "project_id");
        }
        throw new ApiException(io.micronaut.http.HttpStatus.NOT_FOUND, "not_found_error", "No such project", "project_id",
                "project_not_found", null, null);
    }

    /** The route name to store: null for none, else one the key's project or tenant has (400 on {@code route} otherwise). */
    @Nullable
    private String route(UUID tenantId, UUID projectId, @Nullable String name) {
        if (name == null) {
            return null;
        }
        String trimmed = name.trim();
        if (routes.isEmpty() || !routes.get().visible(tenantId, projectId, trimmed)) {
            throw ApiException.badRequest("No route named '" + trimmed + "' exists for this key's project or organization;"
                    + " create it with PUT /api/v1/routes/{name} first", "route");
        }
        return trimmed;
    }

    static KeyScopes scopes(@Nullable KeyScopes scopes, Map<String, String> errors) {
        if (scopes == null) {
            return KeyScopes.ALL;
        }
        List<String> models = scopes.models() == null ? List.of() : scopes.models();
        List<String> endpoints = scopes.endpoints() == null ? List.of() : scopes.endpoints();
        if (models.size() > 100) {
            errors.put("scopes.models", "at most 100 patterns");
        }
        for (int i = 0; i < models.size(); i++) {
            String m = models.get(i);
            if (m == null || m.isBlank() || m.length() > 200) {
                errors.put("scopes.models[" + i + "]", "must be a model name or glob of 1 to 200 characters");
            }
        }
        List<String> cleanEndpoints = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) {
            String e = endpoints.get(i);
            if (e == null || !ENDPOINTS.contains(e)) {
                errors.put("scopes.endpoints[" + i + "]", "must be one of chat, embeddings, messages");
            } else if (!cleanEndpoints.contains(e)) {
                cleanEndpoints.add(e);
            }
        }
        return new KeyScopes(models.stream().map(m -> m == null ? null : m.trim()).toList(), cleanEndpoints);
    }

    static Map<String, String> metadata(@Nullable Map<String, String> metadata, Map<String, String> errors) {
        if (metadata == null) {
            return Map.of();
        }
        metadata.forEach((k, v) -> {
            if (k.isBlank() || k.length() > 64) {
                errors.put("metadata", "keys must have 1 to 64 characters");
            }
            if (v == null || v.length() > 512) {
                errors.put("metadata." + k, "must be a string of at most 512 characters");
            }
        });
        return new LinkedHashMap<>(metadata);
    }

    private static void checkExpiry(@Nullable Instant expiresAt, Map<String, String> errors) {
        if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
            errors.put("expires_at", "must be in the future");
        }
    }

    private static void failOn(Map<String, String> errors) {
        if (!errors.isEmpty()) {
            throw ApiException.invalidFields(errors.size() == 1
                    ? "Invalid " + errors.keySet().iterator().next() + ": " + errors.values().iterator().next()
                    : "Invalid request: " + errors.size() + " fields are not valid (see fields)", errors);
        }
    }

    static String publicId(KeyView key) {
        return key.prefix().substring(dev.tollgate.platform.key.ApiKeyToken.PREFIX.length());
    }

    static ApiException notFound() {
        return ApiException.notFound("No such API key", "key_not_found");
    }
}
