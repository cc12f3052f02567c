package dev.tollgate.tenant.account;

import io.micronaut.core.annotation.Creator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /api/v1/signup}. {@code time_zone} is optional (an IANA name, see
 * {@link dev.tollgate.tenant.organization.TimeZones}); without it the tenant's days start at UTC midnight.
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record SignupCommand(@NotBlank @Email(message = "must be a valid e-mail address") @Pattern(regexp = EMAIL, message = "must be a valid e-mail address") @Size(max = 254) String email,
                            @NotBlank @Size(min = 10, max = 1024, message = "must have at least 10 characters") String password,
                            @NotBlank @Size(max = 100) String organization,
                            @Nullable String timeZone) {

    @Creator
    public SignupCommand {
    }

    /** A sign-up that leaves the time zone at {@value dev.tollgate.tenant.organization.TimeZones#DEFAULT}. */
    public SignupCommand(String email, String password, String organization) {
        this(email, password, organization, null);
    }

    /** A mailbox at a domain with a dot: stricter than {@code @Email} alone, which accepts {@code a@b}. */
    public static final String EMAIL = "[^@\\s]+@[^@\\s]+\\.[^@\\s]+";

    @Override
    public String toString() {
        return "SignupCommand[email=" + email + ", organization=" + organization + ", time_zone=" + timeZone + "]";
    }
}
