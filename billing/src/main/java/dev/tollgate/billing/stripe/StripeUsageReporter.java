package dev.tollgate.billing.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.net.RequestOptions;
import com.stripe.param.billing.MeterEventCreateParams;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reports billed usage to Stripe as meter events, hourly per tenant, through the
 * {@code stripe_meter_report} outbox.
 * <p>
 * Queueing ({@link #enqueue(Instant)}): for every closed hour (ended at least
 * {@code settle-delay} ago, within {@code lookback}) of a tenant with a subscription, the hour's
 * billed total from the hourly rollups (micro-USD) is compared with what was already queued for
 * that hour; a difference becomes a new row with the next {@code seq}. Late events therefore
 * produce a further report of exactly the missing amount, and two workers racing on one hour
 * collide on the primary key instead of doubling. An hour whose billing period (UTC calendar
 * month) ended more than {@code late-grace} before queueing is reported at the queueing time,
 * in the current period.
 * <p>
 * Sending ({@link #sendDue()}): due rows are leased ({@code leased_until}) and sent with their
 * deterministic {@code identifier} as idempotency key; only Stripe's answer marks a row sent.
 * A failure (outage, lost response, crash before the mark) leaves it pending for a retry with
 * backoff, and Stripe answers the retry from its idempotency cache: never lost, never doubled.
 */
@Singleton
@Requires(property = "tollgate.billing.enabled", notEquals = "false")
@Requires(property = "tollgate.stripe.api-key")
public class StripeUsageReporter {

    private static final Logger LOG = LoggerFactory.getLogger(StripeUsageReporter.class);
    private static final int BATCH = 100;

    private static final String ENQUEUE = """
            insert into stripe_meter_report (tenant_id, hour_start, seq, identifier, value_micros, event_at, deferred)
            select d.tenant_id, d.bucket_start, d.seq,
                   'tg-' || d.tenant_id || '-' || extract(epoch from d.bucket_start)::bigint || '-' || d.seq,
                   d.delta, case when d.deferred then ? else d.bucket_start end, d.deferred
              from (select t.tenant_id, t.bucket_start, t.micros - coalesce(q.micros, 0) as delta, coalesce(q.seq, 0) + 1 as seq,
                           (date_trunc('month', t.bucket_start at time zone 'UTC') + interval '1 month') at time zone 'UTC'
                               + ?::interval < ? as deferred
                      from (select tenant_id, bucket_start, round(sum(billed_usd) * 1000000)::bigint as micros
                              from usage_rollup
                             where granularity = 'h' and bucket_start >= ? and bucket_start + interval '1 hour' + ?::interval <= ?
                             group by 1, 2) t
                      join stripe_account a on a.tenant_id = t.tenant_id and a.subscription_id is not null
                      left join (select tenant_id, hour_start, sum(value_micros) as micros, max(seq) as seq
                                   from stripe_meter_report where hour_start >= ? group by 1, 2) q
                        on q.tenant_id = t.tenant_id and q.hour_start = t.bucket_start
                     where t.micros <> coalesce(q.micros, 0)) d
            on conflict do nothing""";

    private final DataSource dataSource;
    private final StripeClient stripe;
    private final StripeConfiguration config;

    public StripeUsageReporter(DataSource dataSource, StripeClient stripe, StripeConfiguration config) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.stripe = stripe;
        this.config = config;
    }

    @Scheduled(fixedDelay = "${tollgate.stripe.report-interval:1m}", initialDelay = "${tollgate.stripe.report-interval:1m}")
    void scheduled() {
        try {
            runOnce(Instant.now());
        } catch (RuntimeException e) {
            LOG.error("Stripe usage reporting failed; retried next cycle", e);
        }
    }

    /** Queues what is new as of {@code now} and sends everything due; returns how many reports were accepted. */
    public int runOnce(Instant now) {
        enqueue(now);
        int sent = 0;
        List<Report> batch;
        do {
            batch = claim(BATCH);
            for (Report r : batch) {
                if (send(r)) {
                    sent++;
                }
            }
        } while (batch.size() == BATCH);
        return sent;
    }

    /** Queues the differences between the hourly rollups and what was already queued; returns how many rows were added. */
    public int enqueue(Instant now) {
        Timestamp since = Timestamp.from(now.minus(config.lookback()));
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(ENQUEUE)) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, config.lateGrace().toSeconds() + " seconds");
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setTimestamp(4, since);
            ps.setString(5, config.settleDelay().toSeconds() + " seconds");
            ps.setTimestamp(6, Timestamp.from(now));
            ps.setTimestamp(7, since);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot queue meter events", e);
        }
    }

    /** Sends one batch of due reports; returns how many Stripe accepted. */
    public int sendDue() {
        int sent = 0;
        for (Report r : claim(BATCH)) {
            if (send(r)) {
                sent++;
            }
        }
        return sent;
    }

    /** A claimed report. */
    record Report(UUID tenantId, String identifier, long valueMicros, Instant eventAt, int attempts, String customerId) {
    }

    /** Leases up to {@code limit} due reports to this worker. */
    List<Report> claim(int limit) {
        List<Report> list = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     update stripe_meter_report r set leased_until = now() + ?::interval, attempts = r.attempts + 1
                       from stripe_account a
                      where a.tenant_id = r.tenant_id and r.identifier in (
                            select identifier from stripe_meter_report
                             where status = 'pending' and next_attempt_at <= now() and (leased_until is null or leased_until <= now())
                             order by hour_start, seq limit ? for update skip locked)
                     returning r.tenant_id, r.identifier, r.value_micros, r.event_at, r.attempts, a.customer_id""")) {
            ps.setString(1, config.lease().toSeconds() + " seconds");
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new Report(rs.getObject(1, UUID.class), rs.getString(2), rs.getLong(3), rs.getTimestamp(4).toInstant(),
                            rs.getInt(5), rs.getString(6)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot claim meter events", e);
        }
        return list;
    }

    /** Sends one report to Stripe and records the outcome; true when Stripe accepted it. */
    boolean send(Report r) {
        try {
            post(r);
        } catch (StripeException | RuntimeException e) {
            Instant next = Instant.now().plus(config.backoff(r.attempts()));
            LOG.warn("meter event {} not accepted (attempt {}), retry at {}: {}", r.identifier(), r.attempts(), next,
                    e.getClass().getSimpleName());
            update("update stripe_meter_report set leased_until = null, next_attempt_at = ?, last_error = ? where identifier = ?",
                    Timestamp.from(next), describe(e), r.identifier());
            return false;
        }
        update("""
                update stripe_meter_report set status = 'sent', sent_at = now(), leased_until = null, last_error = null
                 where identifier = ? and status = 'pending'""", r.identifier());
        return true;
    }

    /** The Stripe call alone, without bookkeeping. */
    void post(Report r) throws StripeException {
        stripe.v1().billing().meterEvents().create(MeterEventCreateParams.builder()
                        .setEventName(config.meterEventName())
                        .setIdentifier(r.identifier())
                        .putPayload("stripe_customer_id", r.customerId())
                        .putPayload("value", Long.toString(r.valueMicros()))
                        .setTimestamp(r.eventAt().getEpochSecond())
                        .build(),
                RequestOptions.builder().setIdempotencyKey(r.identifier()).build());
    }

    /** A short error description for {@code last_error}: exception type and Stripe's message, never request data. */
    static String describe(Exception e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        String text = e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
        return text.length() > 500 ? text.substring(0, 500) : text;
    }

    private void update(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("meter event bookkeeping failed", e);
        }
    }
}
