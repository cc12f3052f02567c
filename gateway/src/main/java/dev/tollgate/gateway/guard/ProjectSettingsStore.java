package dev.tollgate.gateway.guard;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tollgate.platform.http.ApiException;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads and writes the guardrail keys of {@code project.settings} (other keys are left as they
 * are). Reads on the request path are cached per replica and refreshed every
 * {@link GuardConfiguration#settingsCacheTtl()}, off the event loop.
 */
@Singleton
public class ProjectSettingsStore {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectSettingsStore.class);

    private final AtomicLong lastWarning = new AtomicLong();
    private final DataSource dataSource;
    private final JsonMapper json;
    private final AsyncLoadingCache<UUID, ProjectSettings> cache;

    public ProjectSettingsStore(DataSource dataSource, JsonMapper json, GuardConfiguration configuration,
                                @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.json = json;
        // refreshed rather than expired: while PostgreSQL is away, the last known settings stay in force
        this.cache = Caffeine.newBuilder().refreshAfterWrite(configuration.settingsCacheTtl()).maximumSize(100_000)
                .executor(blocking).buildAsync(id -> ProjectSettings.read(raw(null, id)));
    }

    /**
     * A project's settings as the request path sees them (cached). When they cannot be read at
     * all (PostgreSQL away and never read before), the defaults apply: serving goes on, logged.
     */
    public Mono<ProjectSettings> settings(UUID projectId) {
        return Mono.fromFuture(cache.get(projectId)).onErrorResume(e -> {
            long now = System.currentTimeMillis();
            long last = lastWarning.get();
            if (now - last > 10_000 && lastWarning.compareAndSet(last, now)) {
                LOG.warn("project settings cannot be read ({}): serving with the defaults (pii off, no request log)",
                        e.getClass().getSimpleName());
            }
            return Mono.just(ProjectSettings.DEFAULT);
        });
    }

    /** A tenant's project's settings, fresh; 404 for a project of another tenant or none. Blocking. */
    public ProjectSettings read(UUID tenantId, UUID projectId) {
        JsonNode node = raw(tenantId, projectId);
        if (node == null) {
            throw ApiException.notFound("no project " + projectId, "project_not_found");
        }
        return ProjectSettings.read(node);
    }

    /** Stores the guardrail keys of a tenant's project. Blocking. */
    public ProjectSettings write(UUID tenantId, UUID projectId, ProjectSettings settings) {
        JsonNode current = raw(tenantId, projectId);
        if (current == null) {
            throw ApiException.notFound("no project " + projectId, "project_not_found");
        }
        Map<String, JsonNode> merged = new LinkedHashMap<>();
        current.entries().forEach(e -> merged.put(e.getKey(), e.getValue()));
        merged.put("pii", JsonNode.createStringNode(settings.pii().wireName()));
        merged.put("request_logging", JsonNode.createBooleanNode(settings.requestLogging()));
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "update project set settings = ?::jsonb where id = ? and tenant_id = ? and deleted_at is null")) {
            ps.setString(1, json.writeValueAsString(JsonNode.createObjectNode(merged)));
            ps.setObject(2, projectId);
            ps.setObject(3, tenantId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store project settings", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cache.synchronous().invalidate(projectId);
        return settings;
    }

    /** The settings object, or null when there is no such project (of that tenant, when given). */
    private JsonNode raw(UUID tenantId, UUID projectId) {
        String sql = "select settings::text from project where id = ? and deleted_at is null"
                + (tenantId == null ? "" : " and tenant_id = ?");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, projectId);
            if (tenantId != null) {
                ps.setObject(2, tenantId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return tenantId == null ? JsonNode.createObjectNode(Map.of()) : null;
                }
                return json.readValue(rs.getString(1), JsonNode.class);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read project settings", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
