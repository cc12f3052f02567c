package dev.tollgate.portal.web;

import dev.tollgate.tenant.web.Caller;
import dev.tollgate.tenant.web.Callers;
import dev.tollgate.tenant.web.Db;
import io.micronaut.context.annotation.Property;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Resolves the {@link Viewer} of a page request from its session. The tenant API's
 * {@link Callers} re-reads the membership, so a removed member is signed out at once (401, which
 * the page filter turns into a redirect to the login page) and a changed role applies at once.
 */
@Singleton
public class Viewers {

    private final Callers callers;
    private final Db db;
    private final boolean mailbox;
    private final boolean billing;

    public Viewers(Callers callers, Db db, PortalConfiguration configuration,
                   @Nullable @Property(name = "tollgate.mode") String mode) {
        this.callers = callers;
        this.db = db;
        this.mailbox = configuration.mailbox() != null ? configuration.mailbox() : !"external".equalsIgnoreCase(mode);
        this.billing = false;
    }

    public Viewer of(Authentication authentication) {
        Caller caller = callers.of(authentication);
        String[] tenant = db.read(c -> {
            try (PreparedStatement ps = Db.prepare(c, "select name, time_zone from tenant where id = ?", caller.tenantId());
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : new String[] {"", "UTC"};
            }
        });
        return new Viewer(caller, caller.user().email(), tenant[0], zone(tenant[1]), mailbox, billing);
    }

    /** The tenant's time zone, or UTC when it is not a zone Java knows. */
    public static ZoneId zone(String id) {
        try {
            return id == null ? ZoneOffset.UTC : ZoneId.of(id);
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }

    /** Whether the mailbox page is offered. */
    public boolean mailboxEnabled() {
        return mailbox;
    }
}
