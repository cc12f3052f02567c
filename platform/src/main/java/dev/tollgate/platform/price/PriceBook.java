package dev.tollgate.platform.price;

import dev.tollgate.platform.usage.TokenUsage;

import java.time.Instant;
import java.util.UUID;

/**
 * Prices token usage. Implemented by billing from its versioned price tables; the gateway uses
 * it to stamp cost on usage events and to reserve budget, so live metering and billing share
 * one code path.
 */
public interface PriceBook {

    /**
     * The cost of {@code usage} on {@code provider}/{@code model} at instant {@code at} for
     * {@code tenantId} (tenant overrides and plan markup applied). Never throws for an unknown
     * model: returns {@link Quote#unpriced(String)} so the caller can flag it.
     */
    Quote quote(String provider, String model, TokenUsage usage, Instant at, UUID tenantId);
}
