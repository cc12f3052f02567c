package dev.tollgate.billing.price;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.UUID;

/**
 * An operator's price for a provider (all its models when {@code modelId} is null), a model,
 * or one tenant (when {@code tenantId} is set), valid over {@code [effectiveFrom, effectiveTo)}.
 * Its price keys replace the table's; keys it does not name keep the table's price. For a
 * model the table does not know, the override alone prices it.
 */
public record PriceOverride(UUID id, String providerId, @Nullable String modelId, @Nullable UUID tenantId, ModelPrice prices,
                            Instant effectiveFrom, @Nullable Instant effectiveTo, @Nullable String note,
                            Instant createdAt, Instant updatedAt) {

    public boolean activeAt(Instant at) {
        return !at.isBefore(effectiveFrom) && (effectiveTo == null || at.isBefore(effectiveTo));
    }

    /** Higher is more specific: a tenant's model override beats a tenant's provider override beats a model override. */
    public int specificity() {
        return (tenantId != null ? 2 : 0) + (modelId != null ? 1 : 0);
    }
}
