package dev.tollgate.tenant.member;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** {@code POST /api/v1/invites/accept}: the token from the invitation link and the new member's password. */
@Serdeable(naming = SnakeCaseStrategy.class)
public record AcceptInviteCommand(@NotBlank @Size(max = 200) String token,
                                  @NotBlank @Size(min = 10, max = 1024, message = "must have at least 10 characters") String password) {

    @Override
    public String toString() {
        return "AcceptInviteCommand[***]";
    }
}
