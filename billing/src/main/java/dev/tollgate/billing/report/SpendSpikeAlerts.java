package dev.tollgate.billing.report;

import dev.tollgate.billing.invoice.LocalInvoiceDrafter;
import dev.tollgate.billing.rollup.UsageRange;
import dev.tollgate.platform.mail.Mail;
import dev.tollgate.platform.mail.MailOutbox;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The spend-spike alert: today's billed spend (tenant time zone, so far) above
 * {@code spike-factor} × the daily average of the seven days before, and at least
 * {@code spike-min-usd}. Checked by the billing worker for the tenants whose spend moved; queued
 * once per tenant and local day (dedup key {@code spend-spike:<tenant>:<date>}). A tenant without
 * spend in the trailing week has no average to compare with and is not alerted.
 */
@Singleton
public class SpendSpikeAlerts {

    private static final Logger LOG = LoggerFactory.getLogger(SpendSpikeAlerts.class);
    private static final BigDecimal DAYS = BigDecimal.valueOf(7);

    private final DataSource dataSource;
    private final MailOutbox outbox;
    private final Recipients recipients;
    private final ReportConfiguration config;

    public SpendSpikeAlerts(DataSource dataSource, MailOutbox outbox, Recipients recipients, ReportConfiguration config) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.outbox = outbox;
        this.recipients = recipients;
        this.config = config;
    }

    /** Checks {@code tenants} as of {@code now}; returns how many alerts were queued. */
    public int check(Collection<UUID> tenants, Instant now) {
        int queued = 0;
        for (UUID tenant : tenants) {
            try {
                if (checkOne(tenant, now)) {
                    queued++;
                }
            } catch (RuntimeException e) {
                LOG.error("spend-spike check of tenant {} failed", tenant, e);
            }
        }
        return queued;
    }

    private boolean checkOne(UUID tenant, Instant now) {
        ZoneId zone;
        String name;
        BigDecimal today;
        BigDecimal trailing;
        LocalDate day;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("select time_zone, name from tenant where id = ?")) {
                ps.setObject(1, tenant);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    zone = LocalInvoiceDrafter.zone(rs.getString(1));
                    name = rs.getString(2);
                }
            }
            day = LocalDate.ofInstant(now, zone);
            String dedup = "spend-spike:" + tenant + ":" + day;
            try (PreparedStatement ps = c.prepareStatement("select 1 from mail_outbox where dedup_key = ?")) {
                ps.setString(1, dedup);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            Instant dayStart = day.atStartOfDay(zone).toInstant();
            UsageRange range = UsageRange.byLocalDay(tenant, day.minusDays(7).atStartOfDay(zone).toInstant(), now, zone);
            try (PreparedStatement ps = c.prepareStatement("""
                    select coalesce(sum(billed_usd) filter (where bucket_start >= ?), 0),
                           coalesce(sum(billed_usd) filter (where bucket_start < ?), 0)
                      from """ + range.sql() + " r")) {
                ps.setTimestamp(1, Timestamp.from(dayStart));
                ps.setTimestamp(2, Timestamp.from(dayStart));
                range.bind(ps, 3);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    today = rs.getBigDecimal(1);
                    trailing = rs.getBigDecimal(2);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read spend", e);
        }
        BigDecimal average = trailing.divide(DAYS, 10, RoundingMode.HALF_UP);
        if (average.signum() == 0 || today.compareTo(config.spikeMinUsd()) < 0
                || today.compareTo(average.multiply(config.spikeFactor())) <= 0) {
            return false;
        }
        List<String> to = recipients.of(tenant, Recipients.Kind.SPEND_SPIKE);
        if (to.isEmpty()) {
            return false;
        }
        BigDecimal times = today.divide(average, 1, RoundingMode.HALF_UP);
        String subject = "Spend spike: " + Money.usd(today) + " today, " + times + "× your daily average";
        String text = """
                Spend of %s (%s) on %s so far: %s.
                Daily average of the previous seven days: %s (%s× above it).

                Check your keys and budgets in the Tollgate portal. You receive this alert because you did not
                switch it off (PUT /api/v1/notifications {"spend_spike": false}).
                """.formatted(name, tenant, day, Money.usd(today), Money.usd(average), times);
        String html = "<p>Spend of <b>" + Money.html(name) + "</b> on " + day + " so far: <b>" + Money.usd(today) + "</b>.</p>"
                + "<p>Daily average of the previous seven days: " + Money.usd(average) + " (" + times + "× above it).</p>"
                + "<p>Check your keys and budgets in the Tollgate portal.</p>";
        return outbox.enqueue(new Mail(tenant, to, subject, text, html, "spend_spike", "spend-spike:" + tenant + ":" + day)).isPresent();
    }
}
