package dev.tollgate.tenant.project;

import dev.tollgate.platform.tenant.Limits;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.time.Instant;
import java.util.UUID;

/** A project as the API shows it. */
@JsonInclude(JsonInclude.Include.ALWAYS)
@Serdeable(naming = SnakeCaseStrategy.class)
public record ProjectView(UUID id, String name, Limits limits, Instant createdAt) {
}
