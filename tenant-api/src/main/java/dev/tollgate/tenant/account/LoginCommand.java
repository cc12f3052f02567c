package dev.tollgate.tenant.account;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** {@code POST /api/v1/login}. */
@Serdeable(naming = SnakeCaseStrategy.class)
public record LoginCommand(@NotBlank @Size(max = 254) String email, @NotBlank @Size(max = 1024) String password) {

    @Override
    public String toString() {
        return "LoginCommand[email=" + email + "]";
    }
}
