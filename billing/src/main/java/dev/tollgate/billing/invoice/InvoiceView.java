package dev.tollgate.billing.invoice;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One invoice as the tenant sees it. {@code source} is {@code local} (drafted by Tollgate) or
 * {@code stripe}; {@code hosted_url} and {@code pdf_url} are Stripe's pages (null locally).
 * {@code lines} is filled on the single-invoice read only.
 */
@Serdeable(naming = SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record InvoiceView(UUID id,
                          @Nullable String number,
                          String source,
                          String status,
                          String currency,
                          Instant periodStart,
                          Instant periodEnd,
                          BigDecimal totalUsd,
                          BigDecimal amountDueUsd,
                          BigDecimal amountPaidUsd,
                          boolean paymentFailed,
                          @Nullable String hostedUrl,
                          @Nullable String pdfUrl,
                          Instant createdAt,
                          @Nullable Instant finalizedAt,
                          @Nullable Instant paidAt,
                          @Nullable List<InvoiceLine> lines) {

    InvoiceView withLines(List<InvoiceLine> l) {
        return new InvoiceView(id, number, source, status, currency, periodStart, periodEnd, totalUsd, amountDueUsd,
                amountPaidUsd, paymentFailed, hostedUrl, pdfUrl, createdAt, finalizedAt, paidAt, l);
    }
}
