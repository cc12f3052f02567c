package dev.tollgate.tenant.member;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/** {@code PATCH /api/v1/members/{id}}: the new role. */
@Serdeable(naming = SnakeCaseStrategy.class)
public record RoleCommand(@NotBlank @Pattern(regexp = MemberService.ROLES, message = "must be one of owner, admin, member, viewer") String role) {
}
