package dev.tollgate.tenant.organization;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tollgate.platform.tenant.Limits;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.time.Instant;
import java.util.UUID;

/**
 * The signed-in user's organization as its members see it: the operator's plan and tenant-wide
 * limits read-only, without the operator's markup or billing references.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@Serdeable(naming = SnakeCaseStrategy.class)
public record OrganizationView(UUID id, String name, String status, String plan, String timeZone, Limits limits,
                               Instant createdAt) {
}
