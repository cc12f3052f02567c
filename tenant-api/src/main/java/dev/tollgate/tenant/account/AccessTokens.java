package dev.tollgate.tenant.account;

import dev.tollgate.platform.security.TenantUser;
import dev.tollgate.tenant.web.TenantApiConfiguration;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.generator.TokenGenerator;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import jakarta.inject.Singleton;

import java.util.List;

/** Issues the signed JWT access tokens of the management API (claims from {@link TenantUser#claims()}). */
@Singleton
public class AccessTokens {

    /** What login returns: {@code {access_token, token_type, expires_in}}. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record AccessToken(String accessToken, String tokenType, long expiresIn) {
    }

    private final TokenGenerator generator;
    private final TenantApiConfiguration configuration;

    public AccessTokens(TokenGenerator generator, TenantApiConfiguration configuration) {
        this.generator = generator;
        this.configuration = configuration;
    }

    public AccessToken issue(TenantUser user) {
        int ttl = (int) configuration.accessTokenTtl().toSeconds();
        Authentication authentication = Authentication.build(user.userId().toString(), List.of(user.role().wireName()), user.claims());
        String token = generator.generateToken(authentication, ttl)
                .orElseThrow(() -> new IllegalStateException("no access token generated: is a JWT signing secret configured?"));
        return new AccessToken(token, "Bearer", ttl);
    }
}
