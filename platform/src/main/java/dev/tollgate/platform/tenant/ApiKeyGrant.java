package dev.tollgate.platform.tenant;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;

/**
 * Everything the gateway needs to decide whether a presented key may make a request: the key's
 * hashes (current and, during a rotation grace, previous), scopes, the limits of the key, its
 * project and its tenant, and the states that can refuse it.
 *
 * @param timeZone the tenant's time zone: its days and months (token quotas, budgets) start at
 *                 midnight there
 */
public record ApiKeyGrant(UUID keyId,
                          String publicId,
                          UUID tenantId,
                          UUID projectId,
                          String name,
                          byte[] secretHash,
                          @Nullable byte[] previousSecretHash,
                          @Nullable Instant previousValidUntil,
                          KeyScopes scopes,
                          Limits keyLimits,
                          Limits projectLimits,
                          Limits tenantLimits,
                          @Nullable Instant expiresAt,
                          @Nullable Instant revokedAt,
                          boolean tenantSuspended,
                          boolean projectDeleted,
                          @Nullable String routeName,
                          ZoneId timeZone) {

    public boolean revoked() {
        return revokedAt != null;
    }

    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** The previous secret is accepted only until the rotation grace ends. */
    public boolean previousSecretValid(Instant now) {
        return previousSecretHash != null && previousValidUntil != null && now.isBefore(previousValidUntil);
    }
}
