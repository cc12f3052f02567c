package dev.tollgate.platform.security;

import dev.tollgate.platform.http.ApiException;
import io.micronaut.security.authentication.Authentication;

import java.util.Map;
import java.util.UUID;

/**
 * The signed-in user behind a management API or portal request, read from the JWT (bearer
 * header or session cookie). Claims: {@code sub} = user id, {@code tenant_id}, {@code role}.
 * Every tenant-scoped query takes {@link #tenantId()} from here, never from the request.
 */
public record TenantUser(UUID userId, UUID tenantId, Role role, String email) {

    public static final String TENANT_CLAIM = "tenant_id";
    public static final String ROLE_CLAIM = "role";
    public static final String EMAIL_CLAIM = "email";

    public static TenantUser from(Authentication authentication) {
        if (authentication == null) {
            throw ApiException.unauthorized("sign in first");
        }
        Map<String, Object> attrs = authentication.getAttributes();
        try {
            return new TenantUser(UUID.fromString(authentication.getName()),
                    UUID.fromString(String.valueOf(attrs.get(TENANT_CLAIM))),
                    Role.parse(String.valueOf(attrs.get(ROLE_CLAIM))),
                    String.valueOf(attrs.getOrDefault(EMAIL_CLAIM, "")));
        } catch (IllegalArgumentException e) {
            throw ApiException.unauthorized("the session token is not valid for this installation");
        }
    }

    /** The claims to put in a token for this user. */
    public Map<String, Object> claims() {
        return Map.of(TENANT_CLAIM, tenantId.toString(), ROLE_CLAIM, role.wireName(), EMAIL_CLAIM, email);
    }

    /** Throws 403 unless this user has at least {@code required}. */
    public TenantUser require(Role required) {
        if (!role.atLeast(required)) {
            throw ApiException.forbidden("this needs the " + required.wireName() + " role or higher", "insufficient_role");
        }
        return this;
    }
}
