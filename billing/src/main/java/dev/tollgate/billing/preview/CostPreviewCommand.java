package dev.tollgate.billing.preview;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.time.Instant;
import java.util.UUID;

/**
 * Body of the cost preview. {@code model} defaults to the model named in the response body,
 * {@code at} to now; {@code tenant_id} (optional) applies that tenant's overrides and markup.
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record CostPreviewCommand(@Nullable String providerId,
                                 @Nullable String apiFlavor,
                                 @Nullable String model,
                                 @Nullable JsonNode responseBody,
                                 @Nullable Instant at,
                                 @Nullable UUID tenantId) {
}
