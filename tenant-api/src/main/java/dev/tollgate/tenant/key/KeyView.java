package dev.tollgate.tenant.key;

import dev.tollgate.platform.tenant.KeyScopes;
import dev.tollgate.platform.tenant.Limits;
import io.micronaut.core.annotation.Nullable;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An API key as listed: never the secret. {@code prefix} is {@code tg_<public id>}, the part of
 * the key that may be shown again; {@code status} is {@code active}, {@code expired} or
 * {@code revoked}; {@code previous_secret_valid_until} is set while a rotated-out secret still works;
 * {@code route} is the stored route the gateway follows for this key's requests that send no
 * {@code x-tollgate-config} header (null: plain model routing).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@Serdeable(naming = SnakeCaseStrategy.class)
public record KeyView(UUID id,
                      String name,
                      String prefix,
                      UUID projectId,
                      KeyScopes scopes,
                      Limits limits,
                      Map<String, String> metadata,
                      @Nullable String route,
                      String status,
                      Instant createdAt,
                      @Nullable Instant lastUsedAt,
                      @Nullable Instant expiresAt,
                      @Nullable Instant revokedAt,
                      @Nullable Instant previousSecretValidUntil) {
}
