package dev.tollgate.tenant.operator;

import dev.tollgate.tenant.web.JsonColumns;
import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.tenant.KeyInvalidations;
import dev.tollgate.platform.tenant.Limits;
import dev.tollgate.tenant.web.Db;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import jakarta.inject.Singleton;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Tenants for the operator. Every change is announced for the tenant's keys. */
@Singleton
public class TenantAdminService {

    private static final String SELECT = """
            select t.id, t.name, t.status, t.plan, t.markup, t.limits::text, t.created_at,
                   array(select u.email from membership m join app_user u on u.id = m.user_id
                          where m.tenant_id = t.id and m.role = 'owner' order by u.email),
                   (select count(*) from membership m where m.tenant_id = t.id),
                   (select count(*) from api_key k where k.tenant_id = t.id and k.revoked_at is null),
                   t.time_zone
              from tenant t""";

    private final Db db;
    private final KeyInvalidations invalidations;
    private final JsonColumns json;

    public TenantAdminService(Db db, KeyInvalidations invalidations, JsonColumns json) {
        this.db = db;
        this.invalidations = invalidations;
        this.json = json;
    }

    public List<TenantView> list(@Nullable String status, int limit, int offset) {
        return db.read(c -> {
            String sql = SELECT + (status == null ? "" : " where t.status = ?") + " order by t.created_at, t.id limit ? offset ?";
            try (PreparedStatement ps = status == null ? Db.prepare(c, sql, limit, offset) : Db.prepare(c, sql, status, limit, offset);
                 ResultSet rs = ps.executeQuery()) {
                List<TenantView> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(view(rs));
                }
                return out;
            }
        });
    }

    public TenantView get(UUID id) {
        return db.read(c -> find(c, id)).orElseThrow(TenantAdminService::notFound);
    }

    public TenantView update(UUID id, TenantPatch patch) {
        TenantView updated = db.tx(c -> {
            TenantView current = find(c, id).orElseThrow(TenantAdminService::notFound);
            Db.update(c, "update tenant set plan = ?, markup = ?, limits = ?::jsonb where id = ?",
                    patch.plan() == null ? current.plan() : patch.plan(),
                    patch.markup() == null ? current.markup() : patch.markup(),
                    json.write(patch.limits() == null ? current.limits() : patch.limits()), id);
            return find(c, id).orElseThrow();
        });
        invalidations.publishTenant(id);
        return updated;
    }

    /** Sets the status ({@code active} or {@code suspended}); the gateway refuses a suspended tenant's keys. */
    public TenantView setStatus(UUID id, String status) {
        TenantView updated = db.tx(c -> {
            if (Db.update(c, "update tenant set status = ? where id = ?", status, id) == 0) {
                throw notFound();
            }
            return find(c, id).orElseThrow();
        });
        invalidations.publishTenant(id);
        return updated;
    }

    private Optional<TenantView> find(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = Db.prepare(c, SELECT + " where t.id = ?", id); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(view(rs)) : Optional.empty();
        }
    }

    private TenantView view(ResultSet rs) throws SQLException {
        Array owners = rs.getArray(8);
        return new TenantView(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(11), rs.getBigDecimal(5),
                json.read(rs.getString(6), Argument.of(Limits.class), Limits.NONE),
                Arrays.asList((String[]) owners.getArray()), rs.getInt(9), rs.getInt(10), Db.instant(rs.getTimestamp(7)));
    }


    static ApiException notFound() {
        return ApiException.notFound("No such tenant", "tenant_not_found");
    }
}
