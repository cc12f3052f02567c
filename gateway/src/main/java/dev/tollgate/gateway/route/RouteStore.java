package dev.tollgate.gateway.route;

import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.tenant.RouteDirectory;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The {@code gateway_route} table: routes per tenant ({@code projectId} null) or per project.
 * Blocking JDBC: call from a blocking thread. Every method is scoped by the tenant id, so one
 * tenant can never read or change another's routes.
 */
@Singleton
public class RouteStore implements RouteDirectory {

    /** Route names: letters, digits, {@code . _ -}, up to 64 characters. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** A stored route. */
    public record StoredRoute(String name, @Nullable UUID projectId, JsonNode config, Instant createdAt, Instant updatedAt) {
    }

    private final DataSource dataSource;
    private final JsonMapper json;

    public RouteStore(DataSource dataSource, JsonMapper json) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.json = json;
    }

    /** The route of exactly this scope. */
    public Optional<StoredRoute> find(UUID tenantId, @Nullable UUID projectId, String name) {
        return query("""
                select name, project_id, config::text, created_at, updated_at from gateway_route
                where tenant_id = ? and project_id is not distinct from ? and name = ?""", tenantId, projectId, name)
                .stream().findFirst();
    }

    /** The route a key of {@code projectId} means by {@code name}: the project's, else the tenant's. */
    public Optional<StoredRoute> resolve(UUID tenantId, UUID projectId, String name) {
        return query("""
                select name, project_id, config::text, created_at, updated_at from gateway_route
                where tenant_id = ? and (project_id = ? or project_id is null) and name = ?
                order by project_id nulls last limit 1""", tenantId, projectId, name).stream().findFirst();
    }

    @Override
    public boolean visible(UUID tenantId, UUID projectId, String name) {
        return NAME.matcher(name).matches() && resolve(tenantId, projectId, name).isPresent();
    }

    @Override
    public List<RouteName> names(UUID tenantId) {
        return list(tenantId).stream().map(r -> new RouteName(r.name(), r.projectId())).toList();
    }

    /** Every route of the tenant, tenant-wide ones first. */
    public List<StoredRoute> list(UUID tenantId) {
        return query("""
                select name, project_id, config::text, created_at, updated_at from gateway_route
                where tenant_id = ? order by project_id nulls first, name""", tenantId);
    }

    /** Creates or replaces a route. */
    public StoredRoute put(UUID tenantId, @Nullable UUID projectId, String name, JsonNode config, UUID userId) {
        String text;
        try {
            text = json.writeValueAsString(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     insert into gateway_route (id, tenant_id, project_id, name, config, updated_by)
                     values (?, ?, ?, ?, ?::jsonb, ?)
                     on conflict (tenant_id, coalesce(project_id, '00000000-0000-0000-0000-000000000000'::uuid), name)
                     do update set config = excluded.config, updated_by = excluded.updated_by, updated_at = now()""")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setObject(2, tenantId);
            ps.setObject(3, projectId);
            ps.setString(4, name);
            ps.setString(5, text);
            ps.setObject(6, userId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store route", e);
        }
        return find(tenantId, projectId, name).orElseThrow();
    }

    /** Deletes a route; false when there was none. */
    public boolean delete(UUID tenantId, @Nullable UUID projectId, String name) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "delete from gateway_route where tenant_id = ? and project_id is not distinct from ? and name = ?")) {
            ps.setObject(1, tenantId);
            ps.setObject(2, projectId);
            ps.setString(3, name);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot delete route", e);
        }
    }

    /** 404 unless the project exists, is not deleted and belongs to the tenant. */
    public void requireProject(UUID tenantId, UUID projectId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select 1 from project where id = ? and tenant_id = ? and deleted_at is null")) {
            ps.setObject(1, projectId);
            ps.setObject(2, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.notFound("no project " + projectId, "project_not_found");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read project", e);
        }
    }

    private List<StoredRoute> query(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<StoredRoute> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredRoute(rs.getString(1), rs.getObject(2, UUID.class),
                            json.readValue(rs.getString(3), JsonNode.class),
                            rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read routes", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
