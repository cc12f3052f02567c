package dev.tollgate.billing.price;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** An override as the admin API shows it. */
@Serdeable(naming = SnakeCaseStrategy.class)
public record PriceOverrideView(UUID id, String providerId, @Nullable String modelId, @Nullable UUID tenantId,
                                Map<String, Object> prices, Instant effectiveFrom, @Nullable Instant effectiveTo,
                                @Nullable String note, Instant createdAt, Instant updatedAt) {

    static PriceOverrideView of(PriceOverride o) {
        return new PriceOverrideView(o.id(), o.providerId(), o.modelId(), o.tenantId(), o.prices().toJson(), o.effectiveFrom(),
                o.effectiveTo(), o.note(), o.createdAt(), o.updatedAt());
    }
}
