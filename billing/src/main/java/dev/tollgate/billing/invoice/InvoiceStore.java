package dev.tollgate.billing.invoice;

import dev.tollgate.billing.rollup.UsageRange;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads invoices and computes invoice lines from the hourly rollups. */
@Singleton
public class InvoiceStore {

    private static final String COLUMNS = """
            id, number, source, status, currency, period_start, period_end, total_usd, amount_due_usd, amount_paid_usd,
            payment_failed, hosted_url, pdf_url, created_at, finalized_at, paid_at""";

    private final DataSource dataSource;

    public InvoiceStore(DataSource dataSource) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    /** The tenant's invoices, newest period first. */
    public List<InvoiceView> list(UUID tenantId, int limit) {
        List<InvoiceView> list = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select " + COLUMNS
                     + " from invoice where tenant_id = ? order by period_start desc, created_at desc limit ?")) {
            ps.setObject(1, tenantId);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(view(rs));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list invoices", e);
        }
        return list;
    }

    /** One invoice of the tenant with its lines; empty when it does not exist or belongs to another tenant. */
    public Optional<InvoiceView> find(UUID tenantId, UUID id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from invoice where id = ? and tenant_id = ?")) {
            ps.setObject(1, id);
            ps.setObject(2, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                InvoiceView v = view(rs);
                return Optional.of(v.withLines(storedLines(c, id)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read invoice", e);
        }
    }

    /** Lines of {@code [from, to)} computed from the hourly rollups: one per provider and model with usage. */
    static List<InvoiceLine> linesFromRollups(Connection c, UUID tenantId, Instant from, Instant to) throws SQLException {
        List<InvoiceLine> lines = new ArrayList<>();
        UsageRange range = UsageRange.of(tenantId, from, to);
        try (PreparedStatement ps = c.prepareStatement("""
                select provider, model, sum(requests), sum(input_tokens), sum(output_tokens), sum(billed_usd)
                  from %s r
                 group by provider, model having sum(requests) > 0
                 order by provider, model""".formatted(range.sql()))) {
            range.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.add(new InvoiceLine(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                            rs.getBigDecimal(6).setScale(2, RoundingMode.HALF_UP)));
                }
            }
        }
        return lines;
    }

    /**
     * The period containing {@code now} (calendar month in {@code zone}, as invoices are drafted)
     * so far, its lines read live from the rollups.
     */
    public UpcomingView upcoming(UUID tenantId, ZoneId zone, Instant now) {
        Instant[] period = LocalInvoiceDrafter.period(now, zone);
        List<InvoiceLine> lines;
        try (Connection c = dataSource.getConnection()) {
            lines = linesFromRollups(c, tenantId, period[0], period[1]);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read rollups", e);
        }
        return new UpcomingView(period[0], period[1], "usd", total(lines), lines);
    }

    static BigDecimal total(List<InvoiceLine> lines) {
        return lines.stream().map(InvoiceLine::amountUsd).reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
    }

    private static List<InvoiceLine> storedLines(Connection c, UUID invoiceId) throws SQLException {
        List<InvoiceLine> lines = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select provider, model, requests, input_tokens, output_tokens, amount_usd
                  from invoice_line where invoice_id = ? order by ordinal""")) {
            ps.setObject(1, invoiceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.add(new InvoiceLine(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                            rs.getBigDecimal(6)));
                }
            }
        }
        return lines;
    }

    private static InvoiceView view(ResultSet rs) throws SQLException {
        return new InvoiceView(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant(), rs.getBigDecimal(8), rs.getBigDecimal(9),
                rs.getBigDecimal(10), rs.getBoolean(11), rs.getString(12), rs.getString(13), rs.getTimestamp(14).toInstant(),
                instant(rs.getTimestamp(15)), instant(rs.getTimestamp(16)), null);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
