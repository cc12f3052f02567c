package dev.tollgate.tenant.operator;

import dev.tollgate.platform.tenant.Limits;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A tenant as the operator sees it. */
@JsonInclude(JsonInclude.Include.ALWAYS)
@Serdeable(naming = SnakeCaseStrategy.class)
public record TenantView(UUID id, String name, String status, String plan, String timeZone, BigDecimal markup, Limits limits,
                         List<String> owners, int members, int activeKeys, Instant createdAt) {
}
