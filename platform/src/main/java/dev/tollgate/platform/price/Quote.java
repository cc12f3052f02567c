package dev.tollgate.platform.price;

import io.micronaut.core.annotation.Nullable;

import java.math.BigDecimal;

/**
 * The price of one request's usage. Amounts are USD, exact decimals.
 *
 * @param costUsd   what the provider charges (null when unpriced)
 * @param billedUsd what the tenant pays: cost times markup (null when unpriced)
 * @param priceRef  which price row produced it, or why there is none
 */
public record Quote(@Nullable BigDecimal costUsd, @Nullable BigDecimal billedUsd, String priceRef, boolean priced) {

    public static Quote unpriced(String reason) {
        return new Quote(null, null, reason, false);
    }
}
