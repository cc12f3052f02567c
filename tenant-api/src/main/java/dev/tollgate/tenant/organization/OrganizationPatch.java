package dev.tollgate.tenant.organization;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code PATCH /api/v1/organization}: each field present replaces the stored one. The
 * name is stored trimmed; the time zone must pass {@link TimeZones#require}.
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record OrganizationPatch(@Nullable @Size(min = 1, max = 100) @Pattern(regexp = ".*\\S.*", message = "must not be blank") String name,
                                @Nullable String timeZone) {
}
