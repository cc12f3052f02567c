package dev.tollgate.tenant.key;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * {@code POST /api/v1/keys/{id}/rotate}: how long the current secret keeps working next to the
 * new one ({@code 0}: it stops at once; absent: {@code tollgate.tenant-api.default-rotation-grace}).
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record RotateKeyCommand(@Nullable @PositiveOrZero Long graceSeconds) {
}
