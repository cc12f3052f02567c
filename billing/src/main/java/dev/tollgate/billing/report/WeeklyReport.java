package dev.tollgate.billing.report;

import dev.tollgate.billing.invoice.LocalInvoiceDrafter;
import dev.tollgate.billing.rollup.UsageRange;
import dev.tollgate.platform.mail.Mail;
import dev.tollgate.platform.mail.MailOutbox;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.scheduling.annotation.Scheduled;
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
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The weekly report: on Monday from {@code weekly-hour} (tenant time zone), the past Monday to
 * Sunday from the hourly rollups: requests, success rate, spend, top five models and keys by
 * spend, cache hit rate and what the cache saved. Queued once per tenant and week (dedup key
 * {@code weekly-report:<tenant>:<monday>}), only for tenants with requests that week and
 * recipients who did not opt out.
 */
@Singleton
@Requires(property = "tollgate.billing.enabled", notEquals = "false")
public class WeeklyReport {

    private static final Logger LOG = LoggerFactory.getLogger(WeeklyReport.class);
    private static final int TOP = 5;

    private final DataSource dataSource;
    private final MailOutbox outbox;
    private final Recipients recipients;
    private final ReportConfiguration config;

    public WeeklyReport(DataSource dataSource, MailOutbox outbox, Recipients recipients, ReportConfiguration config) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.outbox = outbox;
        this.recipients = recipients;
        this.config = config;
    }

    @Scheduled(fixedDelay = "${tollgate.billing.reports.weekly-interval:15m}", initialDelay = "1m")
    void scheduled() {
        try {
            runOnce(Instant.now());
        } catch (RuntimeException e) {
            LOG.error("weekly reports failed; retried next cycle", e);
        }
    }

    /** Queues the reports due at {@code now}; returns how many were queued. */
    public int runOnce(Instant now) {
        List<Object[]> tenants = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select id, time_zone, name from tenant where status = 'active'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tenants.add(new Object[] {rs.getObject(1, UUID.class), LocalInvoiceDrafter.zone(rs.getString(2)), rs.getString(3)});
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list tenants", e);
        }
        int queued = 0;
        for (Object[] t : tenants) {
            ZonedDateTime local = now.atZone((ZoneId) t[1]);
            if (local.getDayOfWeek() != DayOfWeek.MONDAY || local.getHour() < config.weeklyHour()) {
                continue;
            }
            try {
                if (report((UUID) t[0], (ZoneId) t[1], (String) t[2], local.toLocalDate().minusDays(7))) {
                    queued++;
                }
            } catch (RuntimeException e) {
                LOG.error("weekly report of tenant {} failed", t[0], e);
            }
        }
        return queued;
    }

    private record Top(String name, long requests, BigDecimal spend) {
    }

    private boolean report(UUID tenant, ZoneId zone, String name, LocalDate monday) {
        String dedup = "weekly-report:" + tenant + ":" + monday;
        UsageRange week = UsageRange.of(tenant, monday.atStartOfDay(zone).toInstant(), monday.plusDays(7).atStartOfDay(zone).toInstant());
        long requests;
        long errors;
        long hits;
        BigDecimal spend;
        BigDecimal saved;
        List<Top> models = new ArrayList<>();
        List<Top> keys = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("select 1 from mail_outbox where dedup_key = ?")) {
                ps.setString(1, dedup);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement ps = bind(c.prepareStatement("""
                    select coalesce(sum(requests), 0), coalesce(sum(errors), 0), coalesce(sum(cache_hits), 0),
                           coalesce(sum(billed_usd), 0), coalesce(sum(saved_usd), 0) from """ + week.sql() + " r"), week)) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    requests = rs.getLong(1);
                    errors = rs.getLong(2);
                    hits = rs.getLong(3);
                    spend = rs.getBigDecimal(4);
                    saved = rs.getBigDecimal(5);
                }
            }
            if (requests == 0) {
                return false;
            }
            try (PreparedStatement ps = bind(c.prepareStatement("select model, sum(requests), sum(billed_usd) from " + week.sql()
                    + " r group by model order by 3 desc, 2 desc, 1 limit " + TOP), week)) {
                collect(ps, models);
            }
            try (PreparedStatement ps = bind(c.prepareStatement("""
                    select coalesce(k.name || ' (' || k.public_id || ')', 'no key'), sum(r.requests), sum(r.billed_usd)
                      from """ + week.sql() + " r left join api_key k on k.id = r.api_key_id"
                    + " group by 1 order by 3 desc, 2 desc, 1 limit " + TOP), week)) {
                collect(ps, keys);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the week's usage", e);
        }
        List<String> to2 = recipients.of(tenant, Recipients.Kind.WEEKLY_REPORT);
        if (to2.isEmpty()) {
            return false;
        }
        String success = percent(requests - errors, requests);
        String hitRate = percent(hits, requests);
        StringBuilder text = new StringBuilder();
        text.append("Weekly report for ").append(name).append(", ").append(monday).append(" to ").append(monday.plusDays(6)).append("\n\n")
                .append("Requests: ").append(requests).append('\n')
                .append("Success rate: ").append(success).append('\n')
                .append("Spend: ").append(Money.usd(spend)).append('\n')
                .append("Cache hit rate: ").append(hitRate).append('\n')
                .append("Saved by the cache: ").append(Money.usd(saved)).append("\n\nTop models:\n");
        models.forEach(m -> text.append("  ").append(m.name()).append(": ").append(m.requests()).append(" requests, ")
                .append(Money.usd(m.spend())).append('\n'));
        text.append("\nTop keys:\n");
        keys.forEach(k -> text.append("  ").append(k.name()).append(": ").append(k.requests()).append(" requests, ")
                .append(Money.usd(k.spend())).append('\n'));
        text.append("\nSwitch this report off with PUT /api/v1/notifications {\"weekly_report\": false}.\n");
        StringBuilder html = new StringBuilder("<h2>Weekly report for ").append(Money.html(name)).append("</h2><p>")
                .append(monday).append(" to ").append(monday.plusDays(6)).append("</p><table>")
                .append(row("Requests", Long.toString(requests))).append(row("Success rate", success))
                .append(row("Spend", Money.usd(spend))).append(row("Cache hit rate", hitRate))
                .append(row("Saved by the cache", Money.usd(saved))).append("</table><h3>Top models</h3><table>");
        models.forEach(m -> html.append(row(m.name(), m.requests() + " requests, " + Money.usd(m.spend()))));
        html.append("</table><h3>Top keys</h3><table>");
        keys.forEach(k -> html.append(row(k.name(), k.requests() + " requests, " + Money.usd(k.spend()))));
        html.append("</table>");
        return outbox.enqueue(new Mail(tenant, to2, "Your Tollgate week: " + requests + " requests, " + Money.usd(spend),
                text.toString(), html.toString(), "weekly_report", dedup)).isPresent();
    }

    private static PreparedStatement bind(PreparedStatement ps, UsageRange range) throws SQLException {
        range.bind(ps, 1);
        return ps;
    }

    private static void collect(PreparedStatement ps, List<Top> out) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Top(rs.getString(1).isEmpty() ? "(unknown)" : rs.getString(1), rs.getLong(2), rs.getBigDecimal(3)));
            }
        }
    }

    private static String percent(long part, long whole) {
        return BigDecimal.valueOf(part * 100L).divide(BigDecimal.valueOf(whole), 1, RoundingMode.HALF_UP) + "%";
    }

    private static String row(String label, String value) {
        return "<tr><td>" + Money.html(label) + "</td><td>" + Money.html(value) + "</td></tr>";
    }
}
