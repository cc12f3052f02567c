package dev.tollgate.tenant.project;

import dev.tollgate.tenant.web.JsonColumns;
import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.security.Role;
import dev.tollgate.platform.tenant.KeyInvalidations;
import dev.tollgate.platform.tenant.Limits;
import dev.tollgate.tenant.key.KeyStore;
import dev.tollgate.tenant.web.Caller;
import dev.tollgate.tenant.web.Db;
import io.micronaut.core.type.Argument;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Projects of the caller's tenant: viewers read, admins and owners change. Project limits are
 * part of every key's grant, so a change is announced for the whole tenant.
 */
@Singleton
public class ProjectService {

    private final Db db;
    private final KeyStore keys;
    private final KeyInvalidations invalidations;
    private final JsonColumns json;

    public ProjectService(Db db, KeyStore keys, KeyInvalidations invalidations, JsonColumns json) {
        this.db = db;
        this.keys = keys;
        this.invalidations = invalidations;
        this.json = json;
    }

    public List<ProjectView> list(Caller caller) {
        caller.require(Role.VIEWER);
        return db.read(c -> {
            try (PreparedStatement ps = Db.prepare(c, """
                    select id, name, limits::text, created_at from project
                     where tenant_id = ? and deleted_at is null order by created_at, id""", caller.tenantId());
                 ResultSet rs = ps.executeQuery()) {
                List<ProjectView> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(view(rs));
                }
                return out;
            }
        });
    }

    public ProjectView get(Caller caller, UUID id) {
        caller.require(Role.VIEWER);
        return db.read(c -> find(c, caller.tenantId(), id)).orElseThrow(ProjectService::notFound);
    }

    public ProjectView create(Caller caller, ProjectCommand command) {
        caller.requireChange(Role.ADMIN);
        if (command.name() == null) {
            throw ApiException.invalidFields("Invalid name: must not be blank", Map.of("name", "must not be blank"));
        }
        UUID id = UUID.randomUUID();
        return db.tx(c -> {
            checkNameFree(c, caller.tenantId(), command.name().trim(), null);
            Db.update(c, "insert into project (id, tenant_id, name, limits) values (?, ?, ?, ?::jsonb)",
                    id, caller.tenantId(), command.name().trim(), json.write(command.limits() == null ? Limits.NONE : command.limits()));
            return find(c, caller.tenantId(), id).orElseThrow();
        });
    }

    public ProjectView update(Caller caller, UUID id, ProjectCommand command) {
        caller.requireChange(Role.ADMIN);
        ProjectView updated = db.tx(c -> {
            ProjectView current = find(c, caller.tenantId(), id).orElseThrow(ProjectService::notFound);
            String name = command.name() == null ? current.name() : command.name().trim();
            if (!name.equalsIgnoreCase(current.name())) {
                checkNameFree(c, caller.tenantId(), name, id);
            }
            Db.update(c, "update project set name = ?, limits = ?::jsonb where tenant_id = ? and id = ?",
                    name, json.write(command.limits() == null ? current.limits() : command.limits()), caller.tenantId(), id);
            return find(c, caller.tenantId(), id).orElseThrow();
        });
        if (command.limits() != null) {
            invalidations.publishTenant(caller.tenantId());
        }
        return updated;
    }

    /** Soft-deletes the project and revokes its keys (a deleted project's keys never work again). */
    public void delete(Caller caller, UUID id) {
        caller.require(Role.ADMIN);
        List<String> revoked = db.tx(c -> {
            find(c, caller.tenantId(), id).orElseThrow(ProjectService::notFound);
            List<String> publicIds = keys.activePublicIds(c, caller.tenantId(), id);
            keys.revokeProject(c, caller.tenantId(), id);
            Db.update(c, "update project set deleted_at = now() where tenant_id = ? and id = ?", caller.tenantId(), id);
            return publicIds;
        });
        revoked.forEach(invalidations::publishKey);
    }

    private Optional<ProjectView> find(Connection c, UUID tenantId, UUID id) throws SQLException {
        try (PreparedStatement ps = Db.prepare(c, """
                select id, name, limits::text, created_at from project
                 where tenant_id = ? and id = ? and deleted_at is null""", tenantId, id);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(view(rs)) : Optional.empty();
        }
    }

    private static void checkNameFree(Connection c, UUID tenantId, String name, UUID except) throws SQLException {
        try (PreparedStatement ps = Db.prepare(c, """
                select id from project where tenant_id = ? and lower(name) = lower(?) and deleted_at is null""", tenantId, name);
             ResultSet rs = ps.executeQuery()) {
            if (rs.next() && !rs.getObject(1, UUID.class).equals(except)) {
                throw ApiException.conflict("A project with this name already exists", "project_name_taken");
            }
        }
    }

    private ProjectView view(ResultSet rs) throws SQLException {
        return new ProjectView(rs.getObject(1, UUID.class), rs.getString(2),
                json.read(rs.getString(3), Argument.of(Limits.class), Limits.NONE),
                Db.instant(rs.getTimestamp(4)));
    }


    static ApiException notFound() {
        return ApiException.notFound("No such project", "project_not_found");
    }
}
