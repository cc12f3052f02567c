package dev.tollgate.gateway.limit;

import dev.tollgate.platform.price.PriceBook;
import dev.tollgate.platform.price.Quote;
import dev.tollgate.platform.usage.TokenUsage;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A test price book: one US dollar per thousand tokens, in and out, for every model. */
@Singleton
@Requires(property = "test.flat-price-book", value = "true")
class FlatPriceBook implements PriceBook {

    static final BigDecimal PER_TOKEN = new BigDecimal("0.001");

    @Override
    public Quote quote(String provider, String model, TokenUsage usage, Instant at, UUID tenantId) {
        BigDecimal cost = PER_TOKEN.multiply(BigDecimal.valueOf(usage.totalTokens()));
        return new Quote(cost, cost, "test:flat/" + provider + "/" + model, true);
    }
}
