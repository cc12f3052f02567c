package dev.tollgate.portal.usage;

import java.math.BigDecimal;

/** One group of the usage explorer (a day, a model, a key or a project) with its totals. */
public record UsageRow(String group, long requests, long inputTokens, long outputTokens, long cachedTokens,
                       long errors, BigDecimal spend) {
}
