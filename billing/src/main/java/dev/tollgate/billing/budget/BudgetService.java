package dev.tollgate.billing.budget;

import dev.tollgate.billing.rollup.UsageRange;
import dev.tollgate.platform.mail.Mail;
import dev.tollgate.platform.mail.MailOutbox;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Budgets: storage, the month's spend of a scope (billed amounts over the calendar month in the
 * tenant's time zone, read through {@link UsageRange}: exact also where the month starts inside a
 * UTC hour, as in Asia/Kolkata or Australia/Adelaide), and threshold alerts.
 * <p>
 * Exactly once: the alert for (budget, month, threshold) is queued with the dedup key
 * {@code budget:<id>:<yyyy-MM>:<threshold>}; the outbox's unique index lets exactly one of any
 * number of concurrent checks (threads or replicas) insert it. A new month is a new key, so
 * thresholds re-arm at the period boundary.
 */
@Singleton
public class BudgetService {

    private static final Logger LOG = LoggerFactory.getLogger(BudgetService.class);

    private final DataSource dataSource;
    private final MailOutbox outbox;

    public BudgetService(DataSource dataSource, MailOutbox outbox) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.outbox = outbox;
    }

    /** The billing period containing {@code at} in time zone {@code zone}: [start, end). */
    public record Period(YearMonth month, Instant start, Instant end) {
        static Period of(Instant at, ZoneId zone) {
            YearMonth m = YearMonth.from(at.atZone(zone));
            return new Period(m, m.atDay(1).atStartOfDay(zone).toInstant(), m.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant());
        }
    }

    public ZoneId timeZone(UUID tenantId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select time_zone from tenant where id = ?")) {
            ps.setObject(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    try {
                        return ZoneId.of(rs.getString(1));
                    } catch (java.time.DateTimeException e) {
                        return ZoneOffset.UTC;
                    }
                }
                return ZoneOffset.UTC;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read tenant time zone", e);
        }
    }

    public Period currentPeriod(UUID tenantId, Instant now) {
        return Period.of(now, timeZone(tenantId));
    }

    public Optional<Budget> find(UUID tenantId, String scope, UUID scopeId) {
        return query("tenant_id = ? and scope = ? and scope_id = ?", tenantId, scope, scopeId).stream().findFirst();
    }

    /** True when the project or key {@code scopeId} exists in {@code tenantId} (the tenant itself for scope tenant). */
    public boolean scopeExists(UUID tenantId, String scope, UUID scopeId) {
        String sql = switch (scope) {
            case "tenant" -> "select 1 from tenant where id = ? and id = ?";
            case "project" -> "select 1 from project where id = ? and tenant_id = ? and deleted_at is null";
            case "key" -> "select 1 from api_key where id = ? and tenant_id = ?";
            default -> throw new IllegalArgumentException(scope);
        };
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, scopeId);
            ps.setObject(2, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot look up " + scope, e);
        }
    }

    /**
     * Checks a budget ({@link BudgetCommand#validated()}), saves it and mirrors it into the
     * scope's {@code limits.budget_usd_per_month} when it is a hard cap (removes it otherwise),
     * in one transaction. The caller has checked that the scope belongs to the tenant.
     *
     * @throws dev.tollgate.platform.http.ApiException 400 naming each invalid field
     */
    public Budget save(UUID tenantId, String scope, UUID scopeId, BudgetCommand command) {
        BudgetCommand budget = command.validated();
        BigDecimal monthlyUsd = budget.monthlyUsd();
        boolean hardCap = budget.hardCap();
        String table = switch (scope) {
            case "tenant" -> "tenant";
            case "project" -> "project";
            default -> "api_key";
        };
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into budget (id, tenant_id, scope, scope_id, monthly_usd, thresholds, alert_emails, hard_cap)
                    values (?, ?, ?, ?, ?, ?, ?, ?)
                    on conflict (scope, scope_id) do update set monthly_usd = excluded.monthly_usd, thresholds = excluded.thresholds,
                        alert_emails = excluded.alert_emails, hard_cap = excluded.hard_cap, updated_at = now()""");
                 PreparedStatement limits = c.prepareStatement(hardCap
                         ? "update " + table + " set limits = jsonb_set(limits, '{budget_usd_per_month}', to_jsonb(?::numeric)) where id = ?"
                         : "update " + table + " set limits = limits - 'budget_usd_per_month' where id = ?")) {
                ps.setObject(1, UUID.randomUUID());
                ps.setObject(2, tenantId);
                ps.setString(3, scope);
                ps.setObject(4, scopeId);
                ps.setBigDecimal(5, monthlyUsd);
                ps.setArray(6, c.createArrayOf("numeric", budget.thresholds().toArray()));
                ps.setArray(7, c.createArrayOf("text", budget.alertEmails().toArray()));
                ps.setBoolean(8, hardCap);
                ps.executeUpdate();
                if (hardCap) {
                    limits.setBigDecimal(1, monthlyUsd);
                    limits.setObject(2, scopeId);
                } else {
                    limits.setObject(1, scopeId);
                }
                limits.executeUpdate();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot save budget", e);
        }
        return find(tenantId, scope, scopeId).orElseThrow();
    }

    /** What {@code scope} has been billed in {@code period} (exact at the period's edges in any time zone). */
    public BigDecimal spent(UUID tenantId, String scope, UUID scopeId, Period period) {
        String filter = switch (scope) {
            case "tenant" -> "";
            case "project" -> " where project_id = ?";
            default -> " where api_key_id = ?";
        };
        UsageRange range = UsageRange.of(tenantId, period.start(), period.end());
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select coalesce(sum(billed_usd), 0) from " + range.sql() + " r" + filter)) {
            int i = range.bind(ps, 1);
            if (!filter.isEmpty()) {
                ps.setObject(i, scopeId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBigDecimal(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot sum spend", e);
        }
    }

    /** Checks every budget of these tenants for the current period and queues the due alerts. */
    public void checkTenants(Collection<UUID> tenantIds) {
        Instant now = Instant.now();
        for (UUID tenantId : tenantIds) {
            List<Budget> budgets = query("tenant_id = ?", tenantId);
            if (budgets.isEmpty()) {
                continue;
            }
            Period period = currentPeriod(tenantId, now);
            for (Budget b : budgets) {
                check(b, period);
            }
        }
    }

    /** Queues the alert of every threshold the budget's spend has reached in {@code period}; returns how many were new. */
    public int check(Budget b, Period period) {
        if (b.alertEmails().isEmpty()) {
            return 0;
        }
        BigDecimal spent = spent(b.tenantId(), b.scope(), b.scopeId(), period);
        int queued = 0;
        for (BigDecimal t : b.thresholds()) {
            if (spent.compareTo(b.monthlyUsd().multiply(t)) < 0) {
                continue;
            }
            String pct = t.movePointRight(2).stripTrailingZeros().toPlainString() + "%";
            String subject = "Tollgate: " + pct + " of the " + b.scope() + " budget for " + period.month() + " reached";
            String amounts = "$" + spent.setScale(2, RoundingMode.HALF_UP).toPlainString() + " of $"
                    + b.monthlyUsd().setScale(2, RoundingMode.HALF_UP).toPlainString();
            String text = "Spend for " + b.scope() + " " + b.scopeId() + " in " + period.month() + " is " + amounts + " ("
                    + pct + " threshold)." + (b.hardCap() && t.compareTo(BigDecimal.ONE) >= 0
                    ? "\nThis budget is a hard cap: further requests are refused until the next month." : "");
            String html = "<p>Spend for " + b.scope() + " <code>" + b.scopeId() + "</code> in " + period.month() + " is <b>"
                    + amounts + "</b> (" + pct + " threshold).</p>";
            Optional<UUID> id = outbox.enqueue(new Mail(b.tenantId(), b.alertEmails(), subject, text, html, "budget_alert",
                    "budget:" + b.id() + ":" + period.month() + ":" + t.stripTrailingZeros().toPlainString()));
            if (id.isPresent()) {
                queued++;
                LOG.info("budget {} crossed {} for {}", b.id(), pct, period.month());
            }
        }
        return queued;
    }

    private List<Budget> query(String where, Object... args) {
        List<Budget> list = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select id, tenant_id, scope, scope_id, monthly_usd, thresholds, alert_emails, hard_cap, updated_at
                       from budget where""" + " " + where)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new Budget(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getObject(4, UUID.class), rs.getBigDecimal(5), decimals(rs.getArray(6)), texts(rs.getArray(7)),
                            rs.getBoolean(8), rs.getTimestamp(9).toInstant()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read budgets", e);
        }
        return list;
    }

    private static List<BigDecimal> decimals(@Nullable Array a) throws SQLException {
        return a == null ? List.of() : Arrays.asList((BigDecimal[]) a.getArray());
    }

    private static List<String> texts(@Nullable Array a) throws SQLException {
        return a == null ? List.of() : Arrays.asList((String[]) a.getArray());
    }
}
