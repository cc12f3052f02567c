package dev.tollgate.portal.usage;

import java.math.BigDecimal;

/**
 * Totals of a period: requests, tokens, errors, cache hits, what was billed and what caching
 * saved; {@code unpriced} counts successful requests that carry no price (shown as a warning,
 * never silently as $0).
 */
public record UsageSummary(long requests, long inputTokens, long outputTokens, long cachedTokens, long errors,
                           long cacheHits, BigDecimal spend, BigDecimal saved, long unpriced) {

    public long tokens() {
        return inputTokens + outputTokens;
    }

    public double errorRate() {
        return requests == 0 ? 0 : (double) errors / requests;
    }

    public double cacheHitRate() {
        return requests == 0 ? 0 : (double) cacheHits / requests;
    }
}
