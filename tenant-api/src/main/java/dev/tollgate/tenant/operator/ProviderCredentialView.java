package dev.tollgate.tenant.operator;

import io.micronaut.core.annotation.Nullable;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A provider credential as returned: the key only as its masked hint ({@code sk-...abcd}). */
@JsonInclude(JsonInclude.Include.ALWAYS)
@Serdeable(naming = SnakeCaseStrategy.class)
public record ProviderCredentialView(UUID id, String provider, String name, String keyHint, @Nullable String baseUrl,
                                     Map<String, Object> settings, Instant createdAt, Instant updatedAt) {
}
