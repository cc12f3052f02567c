package dev.tollgate.portal.web;

import dev.tollgate.platform.security.Role;
import dev.tollgate.tenant.web.Caller;

import java.time.ZoneId;

/**
 * The signed-in user as pages see them: the tenant API's {@link Caller} (tenant, current role)
 * plus what the layout shows. The {@code can…} flags only decide what is rendered; the services
 * check every change again.
 */
public record Viewer(Caller caller, String email, String organization, ZoneId zone, boolean mailbox, boolean billing) {

    /** Formatting in the tenant's time zone, for templates ({@code ${fmt.usd(x)}}). */
    public Fmt fmt() {
        return new Fmt(zone);
    }

    public String role() {
        return caller.role().wireName();
    }

    /** May create and change keys (members and above, tenant not suspended). */
    public boolean canWrite() {
        return caller.role().atLeast(Role.MEMBER) && !caller.tenantSuspended();
    }

    /** May manage members, projects and budgets. */
    public boolean canAdmin() {
        return caller.role().atLeast(Role.ADMIN) && !caller.tenantSuspended();
    }

    public boolean owner() {
        return caller.role() == Role.OWNER;
    }

    public boolean suspended() {
        return caller.tenantSuspended();
    }
}
