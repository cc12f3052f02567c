package dev.tollgate.billing.price;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.time.Instant;
import java.util.UUID;

/**
 * Body of {@code POST/PUT /admin/v1/prices/overrides}: {@code provider_id} and {@code prices}
 * (genai-prices keys, flat or tiered) are required; {@code effective_from} defaults to now.
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record PriceOverrideCommand(@Nullable String providerId,
                                   @Nullable String modelId,
                                   @Nullable UUID tenantId,
                                   @Nullable JsonNode prices,
                                   @Nullable Instant effectiveFrom,
                                   @Nullable Instant effectiveTo,
                                   @Nullable String note) {
}
