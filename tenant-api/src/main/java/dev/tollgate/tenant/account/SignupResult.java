package dev.tollgate.tenant.account;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.util.UUID;

/**
 * What sign-up returns: the new tenant, its owner, the default project, the first API key (its
 * only appearance: {@code api_key}) and an access token for the owner.
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record SignupResult(UUID tenantId,
                          UUID userId,
                          UUID projectId,
                          UUID apiKeyId,
                          String apiKey,
                          String accessToken,
                          String tokenType,
                          long expiresIn) {

    @Override
    public String toString() {
        return "SignupResult[tenant=" + tenantId + ", user=" + userId + "]";
    }
}
