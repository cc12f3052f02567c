package dev.tollgate.tenant.project;

import dev.tollgate.platform.tenant.Limits;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /api/v1/projects} (name required) and {@code PATCH /api/v1/projects/{id}}
 * (each field present replaces the stored one; {@code limits: {}} clears the limits).
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record ProjectCommand(@Nullable @Size(min = 1, max = 100) @Pattern(regexp = ".*\\S.*", message = "must not be blank") String name,
                             @Nullable @Valid Limits limits) {
}
