package dev.tollgate.gateway;

import dev.tollgate.platform.security.Role;
import dev.tollgate.platform.security.TenantUser;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.generator.TokenGenerator;

import java.util.List;
import java.util.UUID;

/** Management-API access tokens for tests, signed like the tenant API's. */
public final class TestJwt {

    private TestJwt() {
    }

    public static String token(TokenGenerator generator, UUID tenantId, Role role) {
        TenantUser user = new TenantUser(UUID.randomUUID(), tenantId, role, role.wireName() + "@example.com");
        return generator.generateToken(Authentication.build(user.userId().toString(), List.of(role.wireName()), user.claims()), 3600)
                .orElseThrow();
    }
}
