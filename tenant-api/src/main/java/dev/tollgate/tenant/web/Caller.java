package dev.tollgate.tenant.web;

import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.security.Role;
import dev.tollgate.platform.security.TenantUser;

import java.util.UUID;

/**
 * The signed-in user of a management request, as the database knows it now: tenant and role
 * from the membership row, and whether the tenant is suspended.
 */
public record Caller(TenantUser user, boolean tenantSuspended) {

    public UUID tenantId() {
        return user.tenantId();
    }

    public UUID userId() {
        return user.userId();
    }

    public Role role() {
        return user.role();
    }

    /** Throws 403 unless the caller has at least {@code required}. */
    public Caller require(Role required) {
        user.require(required);
        return this;
    }

    /** Like {@link #require(Role)} for changes, which a suspended tenant may not make. */
    public Caller requireChange(Role required) {
        user.require(required);
        if (tenantSuspended) {
            throw ApiException.forbidden("This organization is suspended; contact support to reinstate it", "tenant_suspended");
        }
        return this;
    }
}
