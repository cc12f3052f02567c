package dev.tollgate.portal.invoice;

import dev.tollgate.billing.invoice.InvoiceView;
import io.micronaut.core.annotation.Nullable;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Locale;

/**
 * One invoice as the invoices page shows it: billing's {@link InvoiceView} with the links to
 * Stripe's hosted page and PDF only when they are absolute {@code http} / {@code https} URLs
 * (anything else, such as a {@code javascript:} URL, is never rendered as a link).
 */
public record InvoiceRow(InvoiceView invoice, @Nullable String hostedLink, @Nullable String pdfLink) {

    static InvoiceRow of(InvoiceView invoice) {
        return new InvoiceRow(invoice, webLink(invoice.hostedUrl()), webLink(invoice.pdfUrl()));
    }

    /** The last instant of the period, for showing its last day ({@code period_end} is exclusive). */
    public Instant lastDay() {
        return invoice.periodEnd().isAfter(invoice.periodStart()) ? invoice.periodEnd().minusSeconds(1) : invoice.periodStart();
    }

    /** The badge class of the status: settled is ok, waiting for payment warns, a failed payment or uncollectible is bad. */
    public String badge() {
        if (invoice.paymentFailed() || "uncollectible".equals(invoice.status())) {
            return "bad";
        }
        return switch (invoice.status()) {
            case "paid" -> "ok";
            case "open", "draft" -> "warn";
            default -> "";
        };
    }

    @Nullable
    static String webLink(@Nullable String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(url.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null ? uri.toString() : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
