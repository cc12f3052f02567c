package dev.tollgate.portal.invoice;

import java.math.BigDecimal;

/** One provider and model of a period: requests, tokens and the billed amount rounded to the cent. */
public record PeriodLine(String provider, String model, long requests, long inputTokens, long outputTokens, BigDecimal amountUsd) {
}
