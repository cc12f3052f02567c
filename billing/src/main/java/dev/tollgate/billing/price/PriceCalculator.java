package dev.tollgate.billing.price;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cost of a request's usage under one {@link ModelPrice}, exactly (no rounding here).
 * <p>
 * Every unit counted is charged once, at its most specific priced unit: with
 * {@code input_mtok}, {@code cache_read_mtok}, {@code input_audio_mtok} and
 * {@code cache_audio_read_mtok} priced, plain text input is
 * {@code input − cache_read − input_audio + cache_audio_read} tokens, cached audio is charged
 * only at the cached-audio price, and so on; a quantity with no price of its own falls into its
 * closest priced ancestor (reasoning tokens are output tokens unless
 * {@code output_reasoning_mtok} is set). A tiered price uses the rate of the request's total
 * input tokens for every unit it prices. {@code requests_kcount} charges one request unless the
 * usage says otherwise. Divisions are by powers of ten (exact) except per-hour prices, which
 * keep 34 significant digits.
 */
public final class PriceCalculator {

    private PriceCalculator() {
    }

    /** Exact amounts in USD, per side, and the count charged at each price key. */
    public record Breakdown(BigDecimal inputPrice, BigDecimal outputPrice, BigDecimal otherPrice,
                            Map<String, Long> chargedUnits) {
        public BigDecimal total() {
            return inputPrice.add(outputPrice).add(otherPrice);
        }
    }

    /** Usage counts that contradict each other (more cached tokens than input tokens, say). */
    public static class InconsistentUsageException extends RuntimeException {
        InconsistentUsageException(String message) {
            super(message, null, false, false);
        }
    }

    public static Breakdown calculate(ModelPrice price, Map<String, Long> counts) {
        List<UsageUnit> priced = new ArrayList<>();
        price.prices().keySet().forEach(k -> priced.add(UsageUnit.BY_PRICE_KEY.get(k)));
        // most specific first, so that every unit's descendants are settled before it
        priced.sort(Comparator.comparingInt((UsageUnit u) -> -u.dimensions().size()).thenComparing(UsageUnit::priceKey));
        Map<UsageUnit, Long> leaves = new LinkedHashMap<>();
        for (UsageUnit u : priced) {
            long leaf = value(u, counts);
            for (Map.Entry<UsageUnit, Long> d : leaves.entrySet()) {
                if (u.isStrictAncestorOf(d.getKey())) {
                    leaf -= d.getValue();
                }
            }
            if (leaf < 0) {
                throw new InconsistentUsageException("usage is inconsistent: the parts of " + u.usageKey()
                        + " add up to more than its " + value(u, counts));
            }
            leaves.put(u, leaf);
        }
        long inputTokens = counts.getOrDefault("input_tokens", 0L);
        BigDecimal in = BigDecimal.ZERO;
        BigDecimal out = BigDecimal.ZERO;
        BigDecimal other = BigDecimal.ZERO;
        Map<String, Long> charged = new LinkedHashMap<>();
        for (Map.Entry<UsageUnit, Long> e : leaves.entrySet()) {
            UsageUnit u = e.getKey();
            long n = e.getValue();
            charged.put(u.priceKey(), n);
            if (n == 0) {
                continue;
            }
            BigDecimal rate = price.prices().get(u.priceKey()).rateFor(inputTokens);
            BigDecimal amount = rate.multiply(BigDecimal.valueOf(n)).divide(u.per(), MathContext.DECIMAL128);
            switch (u.side()) {
                case INPUT -> in = in.add(amount);
                case OUTPUT -> out = out.add(amount);
                case OTHER -> other = other.add(amount);
            }
        }
        return new Breakdown(in, out, other, charged);
    }

    private static long value(UsageUnit u, Map<String, Long> counts) {
        if (u.usageKey().equals("requests")) {
            return counts.getOrDefault("requests", 1L);
        }
        return counts.getOrDefault(u.usageKey(), 0L);
    }
}
