package dev.tollgate.billing.invoice;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The current period so far, read live from the rollups: what the next invoice will show if
 * nothing else is used. {@code total_usd} is the sum of the lines, each rounded to the cent.
 */
@Serdeable(naming = SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record UpcomingView(Instant periodStart, Instant periodEnd, String currency, BigDecimal totalUsd, List<InvoiceLine> lines) {
}
