package dev.tollgate.billing.price;

import io.micronaut.json.tree.JsonNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The prices of one model for one period, keyed by genai-prices price keys
 * ({@code input_mtok}, {@code cache_read_mtok}, {@code requests_kcount} …). Only keys of a known
 * {@link UsageUnit} are accepted.
 */
public record ModelPrice(Map<String, PriceValue> prices) {

    public ModelPrice {
        prices = Collections.unmodifiableMap(new LinkedHashMap<>(prices));
    }

    /**
     * Parses a price object.
     *
     * @throws IllegalArgumentException on an unknown key or a malformed price
     */
    public static ModelPrice parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("prices must be an object of price keys");
        }
        Map<String, PriceValue> m = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.entries()) {
            if (!UsageUnit.BY_PRICE_KEY.containsKey(e.getKey())) {
                throw new IllegalArgumentException("unknown price key '" + e.getKey() + "'");
            }
            m.put(e.getKey(), PriceValue.parse(e.getKey(), e.getValue()));
        }
        return new ModelPrice(m);
    }

    /** These prices with {@code over}'s keys replacing or adding to them. */
    public ModelPrice overriddenBy(ModelPrice over) {
        Map<String, PriceValue> m = new LinkedHashMap<>(prices);
        m.putAll(over.prices());
        return new ModelPrice(m);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        prices.forEach((k, v) -> m.put(k, v.toJson()));
        return m;
    }
}
