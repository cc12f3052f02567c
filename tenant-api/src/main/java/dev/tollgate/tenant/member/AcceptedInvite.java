package dev.tollgate.tenant.member;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.util.UUID;

/** What accepting an invitation returns: the new member and an access token for them. */
@Serdeable(naming = SnakeCaseStrategy.class)
public record AcceptedInvite(UUID tenantId, UUID userId, String role, String accessToken, String tokenType, long expiresIn) {

    @Override
    public String toString() {
        return "AcceptedInvite[tenant=" + tenantId + ", user=" + userId + "]";
    }
}
