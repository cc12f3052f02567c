package dev.tollgate.billing.price;

import dev.tollgate.platform.usage.extract.MatchRule;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.List;

/**
 * A model of the price table: its id, the rule matching the names it is called by, and its
 * price list. As in genai-prices, the last active entry of the list wins, and when none is
 * active the first applies.
 */
public record CatalogModel(String providerId, String id, @Nullable String name, MatchRule match, List<PricePeriod> periods) {

    public PricePeriod periodAt(Instant at) {
        for (int i = periods.size() - 1; i >= 0; i--) {
            if (periods.get(i).activeAt(at)) {
                return periods.get(i);
            }
        }
        return periods.get(0);
    }
}
