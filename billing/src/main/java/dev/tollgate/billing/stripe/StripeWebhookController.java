package dev.tollgate.billing.stripe;

import com.stripe.exception.EventDataObjectDeserializationException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.model.Invoice;
import com.stripe.model.StripeObject;
import com.stripe.net.Webhook;
import dev.tollgate.platform.http.ApiException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /webhooks/stripe}: Stripe's signed events. The signature is checked with
 * {@link Webhook#constructEvent} against {@code tollgate.stripe.webhook-secret} (400 when it
 * does not match or is too old). Each event id is applied once: its row in
 * {@code stripe_webhook_event} is inserted in the transaction that applies it, so a redelivery
 * is acknowledged without effect and a failed one is retried by Stripe.
 * <p>
 * {@code invoice.created}, {@code invoice.finalized}, {@code invoice.paid},
 * {@code invoice.payment_failed} (and {@code invoice.updated}, {@code invoice.voided},
 * {@code invoice.marked_uncollectible}) upsert the tenant's invoice by Stripe id. Delivery order
 * is not guaranteed, so a status only moves forward (draft → open → paid / void / uncollectible)
 * and, within one status, only a newer event replaces the amounts.
 */
@Controller("/webhooks/stripe")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "tollgate.billing.enabled", notEquals = "false")
@Requires(property = "tollgate.stripe.api-key")
public class StripeWebhookController {

    private static final Logger LOG = LoggerFactory.getLogger(StripeWebhookController.class);
    private static final Set<String> INVOICE_EVENTS = Set.of("invoice.created", "invoice.finalized", "invoice.paid",
            "invoice.payment_failed", "invoice.updated", "invoice.voided", "invoice.marked_uncollectible");
    private static final Map<String, Integer> RANK = Map.of("draft", 0, "open", 1, "paid", 2, "void", 2, "uncollectible", 2);

    private final DataSource dataSource;
    private final StripeConfiguration config;

    public StripeWebhookController(DataSource dataSource, StripeConfiguration config) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.config = config;
    }

    @Post
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    public Map<String, Object> receive(@Body String payload, @Header("Stripe-Signature") @Nullable String signature) {
        if (config.webhookSecret() == null || config.webhookSecret().isBlank()) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "server_error",
                    "webhooks are not configured (tollgate.stripe.webhook-secret)", null, "webhooks_not_configured", null, null);
        }
        if (signature == null || signature.isBlank()) {
            throw ApiException.badRequest("Stripe-Signature header missing", "Stripe-Signature");
        }
        Event event;
        try {
            event = Webhook.constructEvent(payload, signature, config.webhookSecret(), config.webhookTolerance().toSeconds());
        } catch (SignatureVerificationException e) {
            LOG.warn("Stripe webhook with a bad signature refused");
            throw ApiException.badRequest("signature verification failed", "Stripe-Signature");
        } catch (RuntimeException e) {
            throw ApiException.badRequest("not a Stripe event", null);
        }
        boolean applied = apply(event);
        return Map.of("received", true, "duplicate", !applied);
    }

    private boolean apply(Event event) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                boolean fresh;
                try (PreparedStatement ps = c.prepareStatement(
                        "insert into stripe_webhook_event (id, type, created) values (?, ?, ?) on conflict (id) do nothing")) {
                    ps.setString(1, event.getId());
                    ps.setString(2, event.getType());
                    ps.setTimestamp(3, Timestamp.from(Instant.ofEpochSecond(event.getCreated() == null ? 0 : event.getCreated())));
                    fresh = ps.executeUpdate() == 1;
                }
                if (fresh && INVOICE_EVENTS.contains(event.getType())) {
                    invoice(c, event, (Invoice) object(event));
                }
                c.commit();
                return fresh;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot apply Stripe event", e);
        }
    }

    private static StripeObject object(Event event) {
        try {
            return event.getDataObjectDeserializer().getObject().isPresent()
                    ? event.getDataObjectDeserializer().getObject().get()
                    : event.getDataObjectDeserializer().deserializeUnsafe();
        } catch (EventDataObjectDeserializationException | RuntimeException e) {
            throw ApiException.badRequest("the event's object cannot be read", null);
        }
    }

    private static void invoice(Connection c, Event event, Invoice inv) throws SQLException {
        UUID tenant = null;
        try (PreparedStatement ps = c.prepareStatement("select id from tenant where stripe_customer_id = ?")) {
            ps.setString(1, inv.getCustomer());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    tenant = rs.getObject(1, UUID.class);
                }
            }
        }
        if (tenant == null) {
            LOG.warn("Stripe event {} ({}) for an unknown customer ignored", event.getId(), event.getType());
            return;
        }
        String status = inv.getStatus() == null ? "draft" : inv.getStatus();
        Integer rank = RANK.get(status);
        if (rank == null) {
            LOG.warn("Stripe invoice {} has unknown status {}; event {} ignored", inv.getId(), status, event.getId());
            return;
        }
        boolean failed = event.getType().equals("invoice.payment_failed");
        Instant created = Instant.ofEpochSecond(event.getCreated() == null ? 0 : event.getCreated());
        Instant start = Instant.ofEpochSecond(inv.getPeriodStart() == null ? 0 : inv.getPeriodStart());
        Instant end = Instant.ofEpochSecond(inv.getPeriodEnd() == null ? start.getEpochSecond() : inv.getPeriodEnd());
        // newer: a higher status, or the same status reported by a later event
        try (PreparedStatement ps = c.prepareStatement("""
                insert into invoice (id, tenant_id, source, number, status, state_rank, currency, period_start, period_end,
                                     total_usd, amount_due_usd, amount_paid_usd, payment_failed, hosted_url, pdf_url,
                                     stripe_invoice_id, stripe_event_at, finalized_at, paid_at, voided_at)
                values (?, ?, 'stripe', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                        case when ? >= 1 then ?::timestamptz end, case when ? = 'paid' then ?::timestamptz end,
                        case when ? = 'void' then ?::timestamptz end)
                on conflict (stripe_invoice_id) do update set
                    number = coalesce(excluded.number, invoice.number),
                    hosted_url = coalesce(excluded.hosted_url, invoice.hosted_url),
                    pdf_url = coalesce(excluded.pdf_url, invoice.pdf_url),
                    payment_failed = case when excluded.status = 'paid' or invoice.status = 'paid' then false
                                          else invoice.payment_failed or excluded.payment_failed end,
                    status = case when excluded.state_rank > invoice.state_rank then excluded.status else invoice.status end,
                    finalized_at = coalesce(invoice.finalized_at, excluded.finalized_at),
                    paid_at = coalesce(invoice.paid_at, excluded.paid_at),
                    voided_at = coalesce(invoice.voided_at, excluded.voided_at),
                    total_usd = case when %1$s then excluded.total_usd else invoice.total_usd end,
                    amount_due_usd = case when %1$s then excluded.amount_due_usd else invoice.amount_due_usd end,
                    amount_paid_usd = case when %1$s then excluded.amount_paid_usd else invoice.amount_paid_usd end,
                    period_start = case when %1$s then excluded.period_start else invoice.period_start end,
                    period_end = case when %1$s then excluded.period_end else invoice.period_end end,
                    stripe_event_at = case when %1$s then excluded.stripe_event_at else invoice.stripe_event_at end,
                    state_rank = greatest(invoice.state_rank, excluded.state_rank),
                    updated_at = now()""".formatted("""
                (excluded.state_rank > invoice.state_rank
                 or (excluded.state_rank = invoice.state_rank and excluded.stripe_event_at >= invoice.stripe_event_at))"""))) {
            int i = 1;
            ps.setObject(i++, UUID.randomUUID());
            ps.setObject(i++, tenant);
            ps.setString(i++, inv.getNumber());
            ps.setString(i++, status);
            ps.setInt(i++, rank);
            ps.setString(i++, inv.getCurrency() == null ? "usd" : inv.getCurrency());
            ps.setTimestamp(i++, Timestamp.from(start));
            ps.setTimestamp(i++, Timestamp.from(end.isBefore(start) ? start : end));
            ps.setBigDecimal(i++, cents(inv.getTotal()));
            ps.setBigDecimal(i++, cents(inv.getAmountDue()));
            ps.setBigDecimal(i++, cents(inv.getAmountPaid()));
            ps.setBoolean(i++, failed && !status.equals("paid"));
            ps.setString(i++, inv.getHostedInvoiceUrl());
            ps.setString(i++, inv.getInvoicePdf());
            ps.setString(i++, inv.getId());
            ps.setTimestamp(i++, Timestamp.from(created));
            ps.setInt(i++, rank);
            ps.setTimestamp(i++, Timestamp.from(created));
            ps.setString(i++, status);
            ps.setTimestamp(i++, Timestamp.from(created));
            ps.setString(i++, status);
            ps.setTimestamp(i, Timestamp.from(created));
            ps.executeUpdate();
        }
    }

    private static BigDecimal cents(@Nullable Long amount) {
        return amount == null ? BigDecimal.ZERO.setScale(2) : BigDecimal.valueOf(amount, 2);
    }
}
