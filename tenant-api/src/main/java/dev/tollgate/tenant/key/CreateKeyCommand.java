package dev.tollgate.tenant.key;

import dev.tollgate.platform.tenant.KeyScopes;
import dev.tollgate.platform.tenant.Limits;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /api/v1/keys}. Only {@code name} is required; without {@code project_id} the key
 * goes to the tenant's oldest project; without scopes it may call every model and endpoint;
 * {@code route} binds the key to a stored route of its project or tenant (see {@code /api/v1/routes}).
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record CreateKeyCommand(@NotBlank @Size(max = 100) String name,
                               @Nullable UUID projectId,
                               @Nullable KeyScopes scopes,
                               @Nullable @Valid Limits limits,
                               @Nullable Instant expiresAt,
                               @Nullable @Size(max = 50) Map<String, String> metadata,
                               @Nullable String route) {
}
