package dev.tollgate.tenant.web;

import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.security.Role;
import dev.tollgate.platform.security.TenantUser;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * Turns the token of a request into a {@link Caller}, re-reading the membership so that a
 * member who was removed is refused at once and a changed role applies at once, even while the
 * token they hold is still valid.
 */
@Singleton
public class Callers {

    private final Db db;

    public Callers(Db db) {
        this.db = db;
    }

    public Caller of(Authentication authentication) {
        TenantUser claimed = TenantUser.from(authentication);
        return db.read(c -> {
            try (PreparedStatement ps = Db.prepare(c, """
                    select m.role, u.email, t.status
                      from membership m
                      join app_user u on u.id = m.user_id
                      join tenant t on t.id = m.tenant_id
                     where m.user_id = ? and m.tenant_id = ?""", claimed.userId(), claimed.tenantId());
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.unauthorized("This account is no longer a member of the organization; sign in again");
                }
                TenantUser current = new TenantUser(claimed.userId(), claimed.tenantId(), Role.parse(rs.getString(1)), rs.getString(2));
                return new Caller(current, "suspended".equals(rs.getString(3)));
            }
        });
    }
}
