package dev.tollgate.billing.invoice;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Local invoices, the embedded default (only when {@code tollgate.stripe.api-key} is unset).
 * Every {@code tollgate.billing.invoice-interval} (default 5 min): each tenant gets a draft for
 * the calendar month containing now in its time zone; every draft's lines are recomputed from the
 * hourly rollups (one per provider and model, billed amounts rounded to the cent); a draft whose
 * period ended more than {@code tollgate.billing.invoice-close-delay} ago (default 1 h, so that
 * late events are rolled in) is finalized: numbered and {@code open}, or deleted when the period
 * had no usage. Operators mark open invoices paid or void ({@link InvoiceAdminController}).
 * Safe with several workers: a draft is recomputed under its row lock ({@code skip locked}) and
 * the draft of a period is unique per tenant.
 */
@Singleton
@Requires(property = "tollgate.billing.enabled", notEquals = "false")
@Requires(missingProperty = "tollgate.stripe.api-key")
public class LocalInvoiceDrafter {

    private static final Logger LOG = LoggerFactory.getLogger(LocalInvoiceDrafter.class);
    private static final DateTimeFormatter NUMBER_MONTH = DateTimeFormatter.ofPattern("yyyyMM");

    private final DataSource dataSource;
    private final Duration closeDelay;

    public LocalInvoiceDrafter(DataSource dataSource,
                               @Value("${tollgate.billing.invoice-close-delay:1h}") Duration closeDelay) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.closeDelay = closeDelay;
    }

    @Scheduled(fixedDelay = "${tollgate.billing.invoice-interval:5m}", initialDelay = "${tollgate.billing.invoice-interval:5m}")
    void scheduled() {
        try {
            runOnce(Instant.now());
        } catch (RuntimeException e) {
            LOG.error("invoice drafting failed; retried next cycle", e);
        }
    }

    /** What one cycle did. */
    public record Result(int drafted, int refreshed, int finalized) {
    }

    /** One cycle as of {@code now}. */
    public Result runOnce(Instant now) {
        int drafted = draftCurrentPeriods(now);
        int refreshed = 0;
        int finalized = 0;
        for (UUID id : drafts()) {
            switch (refresh(id, now)) {
                case REFRESHED -> refreshed++;
                case FINALIZED -> finalized++;
                default -> {
                }
            }
        }
        return new Result(drafted, refreshed, finalized);
    }

    /** The period {@code [start, end)} containing {@code at}: a calendar month in {@code zone}. */
    public static Instant[] period(Instant at, ZoneId zone) {
        YearMonth m = YearMonth.from(at.atZone(zone));
        return new Instant[] {m.atDay(1).atStartOfDay(zone).toInstant(), m.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant()};
    }

    /** The tenant's time zone; UTC when it is not a valid zone id. */
    public static ZoneId zone(String name) {
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }

    private int draftCurrentPeriods(Instant now) {
        int drafted = 0;
        try (Connection c = dataSource.getConnection();
             PreparedStatement tenants = c.prepareStatement("select id, time_zone from tenant");
             PreparedStatement insert = c.prepareStatement("""
                     insert into invoice (id, tenant_id, source, status, period_start, period_end)
                     values (?, ?, 'local', 'draft', ?, ?)
                     on conflict (tenant_id, period_start) where source = 'local' do nothing""")) {
            try (ResultSet rs = tenants.executeQuery()) {
                while (rs.next()) {
                    Instant[] p = period(now, zone(rs.getString(2)));
                    insert.setObject(1, UUID.randomUUID());
                    insert.setObject(2, rs.getObject(1, UUID.class));
                    insert.setTimestamp(3, Timestamp.from(p[0]));
                    insert.setTimestamp(4, Timestamp.from(p[1]));
                    insert.addBatch();
                }
            }
            for (int n : insert.executeBatch()) {
                drafted += Math.max(n, 0);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot draft invoices", e);
        }
        return drafted;
    }

    private List<UUID> drafts() {
        List<UUID> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select id from invoice where source = 'local' and status = 'draft'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list drafts", e);
        }
        return ids;
    }

    private enum Outcome { SKIPPED, REFRESHED, FINALIZED }

    private Outcome refresh(UUID id, Instant now) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Outcome outcome = refresh(c, id, now);
                c.commit();
                return outcome;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot refresh invoice " + id, e);
        }
    }

    private Outcome refresh(Connection c, UUID id, Instant now) throws SQLException {
        UUID tenant;
        Instant start;
        Instant end;
        ZoneId zone;
        try (PreparedStatement ps = c.prepareStatement("""
                select i.tenant_id, i.period_start, i.period_end, t.time_zone from invoice i join tenant t on t.id = i.tenant_id
                 where i.id = ? and i.status = 'draft' for update of i skip locked""")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Outcome.SKIPPED;
                }
                tenant = rs.getObject(1, UUID.class);
                start = rs.getTimestamp(2).toInstant();
                end = rs.getTimestamp(3).toInstant();
                zone = zone(rs.getString(4));
            }
        }
        List<InvoiceLine> lines = InvoiceStore.linesFromRollups(c, tenant, start, end);
        boolean close = !end.plus(closeDelay).isAfter(now);
        if (close && lines.isEmpty()) {
            try (PreparedStatement del = c.prepareStatement("delete from invoice where id = ?")) {
                del.setObject(1, id);
                del.executeUpdate();
            }
            return Outcome.FINALIZED;
        }
        try (PreparedStatement del = c.prepareStatement("delete from invoice_line where invoice_id = ?");
             PreparedStatement ins = c.prepareStatement("""
                     insert into invoice_line (invoice_id, ordinal, provider, model, requests, input_tokens, output_tokens, amount_usd)
                     values (?, ?, ?, ?, ?, ?, ?, ?)""")) {
            del.setObject(1, id);
            del.executeUpdate();
            int ordinal = 0;
            for (InvoiceLine l : lines) {
                ins.setObject(1, id);
                ins.setInt(2, ordinal++);
                ins.setString(3, l.provider());
                ins.setString(4, l.model());
                ins.setLong(5, l.requests());
                ins.setLong(6, l.inputTokens());
                ins.setLong(7, l.outputTokens());
                ins.setBigDecimal(8, l.amountUsd());
                ins.addBatch();
            }
            ins.executeBatch();
        }
        BigDecimal total = InvoiceStore.total(lines);
        try (PreparedStatement up = c.prepareStatement(close
                ? """
                  update invoice set total_usd = ?, amount_due_usd = ?, updated_at = now(), status = 'open', state_rank = 1,
                         finalized_at = ?, number = ? where id = ?"""
                : "update invoice set total_usd = ?, amount_due_usd = ?, updated_at = now() where id = ?")) {
            up.setBigDecimal(1, total);
            up.setBigDecimal(2, total);
            if (close) {
                up.setTimestamp(3, Timestamp.from(now));
                up.setString(4, "TG-" + NUMBER_MONTH.format(start.atZone(zone)) + "-" + tenant.toString().substring(0, 8).toUpperCase());
                up.setObject(5, id);
            } else {
                up.setObject(3, id);
            }
            up.executeUpdate();
        }
        return close ? Outcome.FINALIZED : Outcome.REFRESHED;
    }
}
