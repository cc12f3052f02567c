package dev.tollgate.tenant.organization;

import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.security.Role;
import dev.tollgate.platform.tenant.KeyInvalidations;
import dev.tollgate.platform.tenant.Limits;
import dev.tollgate.tenant.web.Caller;
import dev.tollgate.tenant.web.Db;
import dev.tollgate.tenant.web.JsonColumns;
import io.micronaut.core.type.Argument;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * The caller's own tenant row: every member reads it, owners and admins rename it or change its
 * time zone. The zone is part of every key's grant (quota days and months start at its
 * midnight), so a change is announced for the whole tenant and every gateway replica drops the
 * tenant's cached keys at once.
 */
@Singleton
public class OrganizationService {

    private static final String SELECT = "select id, name, status, plan, time_zone, limits::text, created_at from tenant where id = ?";

    private final Db db;
    private final KeyInvalidations invalidations;
    private final JsonColumns json;

    public OrganizationService(Db db, KeyInvalidations invalidations, JsonColumns json) {
        this.db = db;
        this.invalidations = invalidations;
        this.json = json;
    }

    /** The caller's organization; any role may read it. */
    public OrganizationView get(Caller caller) {
        caller.require(Role.VIEWER);
        return db.read(c -> find(c, caller)).orElseThrow(OrganizationService::notFound);
    }

    /** Applies the fields present (owners and admins of an active tenant); 400 for an unknown zone. */
    public OrganizationView update(Caller caller, OrganizationPatch patch) {
        caller.requireChange(Role.ADMIN);
        record Change(OrganizationView before, OrganizationView after) {
        }
        Change change = db.tx(c -> {
            OrganizationView current = find(c, caller).orElseThrow(OrganizationService::notFound);
            String name = patch.name() == null ? current.name() : patch.name().trim();
            String zone = patch.timeZone() == null ? current.timeZone() : TimeZones.require(c, patch.timeZone());
            Db.update(c, "update tenant set name = ?, time_zone = ? where id = ?", name, zone, caller.tenantId());
            return new Change(current, find(c, caller).orElseThrow());
        });
        if (!change.after().timeZone().equals(change.before().timeZone())) {
            invalidations.publishTenant(caller.tenantId());
        }
        return change.after();
    }

    private Optional<OrganizationView> find(Connection c, Caller caller) throws SQLException {
        try (PreparedStatement ps = Db.prepare(c, SELECT, caller.tenantId()); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new OrganizationView(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                    rs.getString(4), rs.getString(5), json.read(rs.getString(6), Argument.of(Limits.class), Limits.NONE),
                    Db.instant(rs.getTimestamp(7))));
        }
    }

    static ApiException notFound() {
        return ApiException.notFound("No such organization", "tenant_not_found");
    }
}
