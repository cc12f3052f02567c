package dev.tollgate.billing.price;

import io.micronaut.json.tree.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One price of a model: a flat USD amount per unit (per million tokens, per thousand
 * requests …) or genai-prices' tiered form {@code {base, tiers:[{start, price}]}}, where the
 * price of the highest tier whose {@code start} the request's input tokens exceed applies to
 * all units of the request (the "cliff" model of Anthropic, Google and OpenAI).
 */
public sealed interface PriceValue {

    /** The rate for a request with {@code inputTokens} input tokens. */
    BigDecimal rateFor(long inputTokens);

    /** As in the table's JSON (a number, or the tiered object). */
    Object toJson();

    record Flat(BigDecimal price) implements PriceValue {
        public BigDecimal rateFor(long inputTokens) {
            return price;
        }

        public Object toJson() {
            return price;
        }
    }

    record Tier(long start, BigDecimal price) {
    }

    record Tiered(BigDecimal base, List<Tier> tiers) implements PriceValue {
        public BigDecimal rateFor(long inputTokens) {
            BigDecimal rate = base;
            for (Tier t : tiers) {
                if (inputTokens > t.start()) {
                    rate = t.price();
                }
            }
            return rate;
        }

        public Object toJson() {
            List<Map<String, Object>> ts = new ArrayList<>();
            tiers.forEach(t -> ts.add(Map.of("start", t.start(), "price", t.price())));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("base", base);
            m.put("tiers", ts);
            return m;
        }
    }

    static PriceValue parse(String key, JsonNode node) {
        if (node.isNumber()) {
            return new Flat(decimal(key, node));
        }
        if (node.isObject() && node.get("base") != null && node.get("tiers") != null && node.get("tiers").isArray()) {
            List<Tier> tiers = new ArrayList<>();
            for (JsonNode t : node.get("tiers").values()) {
                JsonNode start = t.get("start");
                if (start == null || !start.isNumber() || t.get("price") == null) {
                    throw new IllegalArgumentException(key + ": a tier needs an integer 'start' and a 'price'");
                }
                tiers.add(new Tier(start.getLongValue(), decimal(key, t.get("price"))));
            }
            tiers.sort(java.util.Comparator.comparingLong(Tier::start));
            return new Tiered(decimal(key, node.get("base")), List.copyOf(tiers));
        }
        throw new IllegalArgumentException(key + ": a price is a number or {\"base\", \"tiers\"}");
    }

    /** Exact decimal of a JSON number (via its shortest text, never via binary floating point). */
    private static BigDecimal decimal(String key, JsonNode n) {
        if (n == null || !n.isNumber()) {
            throw new IllegalArgumentException(key + ": a price must be a number");
        }
        BigDecimal d = new BigDecimal(n.getNumberValue().toString());
        if (d.signum() < 0) {
            throw new IllegalArgumentException(key + ": a price cannot be negative");
        }
        return d;
    }
}
