package dev.tollgate.tenant.key;

import dev.tollgate.platform.tenant.KeyScopes;
import dev.tollgate.platform.tenant.Limits;
import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.Map;

/**
 * {@code PATCH /api/v1/keys/{id}}: each field present replaces the stored one; absent (or null)
 * fields stay as they are. {@code scopes}, {@code limits} and {@code metadata} are replaced as a
 * whole ({@code {}} clears them); an expiry can be moved but not removed. {@code route} is the
 * exception to "null keeps": {@code "route": null} unbinds the key from its route, and only an
 * absent {@code route} keeps the binding (see {@link RouteChange}).
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record UpdateKeyCommand(@Nullable @Size(min = 1, max = 100) @Pattern(regexp = ".*\\S.*", message = "must not be blank") String name,
                               @Nullable KeyScopes scopes,
                               @Nullable @Valid Limits limits,
                               @Nullable Instant expiresAt,
                               @Nullable @Size(max = 50) Map<String, String> metadata,
                               @Nullable @Schema(implementation = String.class, nullable = true,
                                       description = "a stored route to bind the key to; null unbinds it") RouteChange route) {
}
