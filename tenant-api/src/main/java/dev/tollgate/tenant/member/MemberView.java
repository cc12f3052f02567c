package dev.tollgate.tenant.member;

import io.micronaut.core.annotation.Nullable;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.time.Instant;
import java.util.UUID;

/**
 * A member ({@code status} {@code active}, {@code id} the user id) or an invitation not yet
 * accepted ({@code status} {@code invited} or {@code expired}, {@code id} the invitation id).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@Serdeable(naming = SnakeCaseStrategy.class)
public record MemberView(UUID id, String email, String role, String status, Instant createdAt, @Nullable Instant expiresAt) {
}
