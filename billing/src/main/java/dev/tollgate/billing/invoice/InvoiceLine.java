package dev.tollgate.billing.invoice;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.math.BigDecimal;

/** One provider and model of a period: requests, tokens and the billed amount rounded to the cent. */
@Serdeable(naming = SnakeCaseStrategy.class)
public record InvoiceLine(String provider, String model, long requests, long inputTokens, long outputTokens, BigDecimal amountUsd) {
}
