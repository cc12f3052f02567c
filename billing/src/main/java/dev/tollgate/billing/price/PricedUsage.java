package dev.tollgate.billing.price;

import dev.tollgate.platform.price.Quote;
import io.micronaut.core.annotation.Nullable;

import java.math.BigDecimal;
import java.util.Map;

/**
 * The full result of pricing one usage: what {@link Quote} carries plus the split into input
 * and output price and the units charged at each price key. Amounts are rounded once, to
 * {@link CatalogPriceBook#SCALE} decimals half-up; {@code costUsd} is the rounded exact total
 * (not the sum of rounded parts).
 *
 * @param reason why the usage is unpriced (null when priced)
 */
public record PricedUsage(boolean priced,
                          @Nullable BigDecimal inputPrice,
                          @Nullable BigDecimal outputPrice,
                          @Nullable BigDecimal costUsd,
                          @Nullable BigDecimal billedUsd,
                          @Nullable BigDecimal markup,
                          String priceRef,
                          @Nullable String providerId,
                          @Nullable String modelId,
                          Map<String, Long> chargedUnits,
                          @Nullable String reason) {

    public static PricedUsage unpriced(String reason) {
        return new PricedUsage(false, null, null, null, null, null, "unpriced: " + reason, null, null, Map.of(), reason);
    }

    public Quote toQuote() {
        return priced ? new Quote(costUsd, billedUsd, priceRef, true) : Quote.unpriced(priceRef);
    }
}
