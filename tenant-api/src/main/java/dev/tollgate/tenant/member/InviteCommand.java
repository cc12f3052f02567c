package dev.tollgate.tenant.member;

import dev.tollgate.tenant.account.SignupCommand;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code POST /api/v1/members}: who to invite, with which role. */
@Serdeable(naming = SnakeCaseStrategy.class)
public record InviteCommand(@NotBlank @Email(message = "must be a valid e-mail address")
                            @Pattern(regexp = SignupCommand.EMAIL, message = "must be a valid e-mail address") @Size(max = 254) String email,
                            @NotBlank @Pattern(regexp = MemberService.ROLES, message = "must be one of owner, admin, member, viewer") String role) {
}
