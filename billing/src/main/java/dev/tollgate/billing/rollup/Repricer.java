package dev.tollgate.billing.rollup;

import dev.tollgate.billing.price.CatalogPriceBook;
import dev.tollgate.platform.price.Quote;
import dev.tollgate.platform.usage.TokenUsage;
import dev.tollgate.platform.usage.TokenUsageColumns;
import dev.tollgate.platform.usage.extract.ExtractedUsage;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Prices usage events stored without a price, with the same {@link CatalogPriceBook} the
 * gateway quotes with. An event that becomes priced after it was rolled moves its amounts into
 * its rollup rows in the same transaction (and leaves the unpriced count), so rollups stay equal
 * to the events. Events without any usage (failed before the provider answered) cost zero.
 * A cache hit costs nothing upstream and is billed nothing; what it saved is recorded.
 */
@Singleton
public class Repricer {

    private static final String SELECT = """
            select request_id, occurred_at, tenant_id, provider, coalesce(model_served, model_requested),
                   cache_status, rolled, project_id, api_key_id, coalesce(model_served, model_requested, ''), %s
              from usage_event
             where not priced and occurred_at >= ? and occurred_at < ? %s
             order by occurred_at
             limit ?
               for update skip locked""";

    private final DataSource dataSource;
    private final CatalogPriceBook priceBook;

    public Repricer(DataSource dataSource, CatalogPriceBook priceBook) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.priceBook = priceBook;
    }

    /** Outcome of one pass. */
    public record Result(int examined, int priced) {
    }

    /**
     * Tries to price up to {@code limit} unpriced events in {@code [from, to)}; with
     * {@code includeRolled} also events already in rollups (after an operator added a price).
     */
    public Result reprice(Instant from, Instant to, boolean includeRolled, int limit) {
        int examined = 0;
        int priced = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement select = c.prepareStatement(SELECT.formatted(TokenUsageColumns.LIST, includeRolled ? "" : "and not rolled"));
                 PreparedStatement update = c.prepareStatement("""
                         update usage_event set cost_usd = ?, billed_usd = ?, saved_usd = ?, price_ref = ?, priced = ?
                          where request_id = ? and occurred_at = ?""");
                 PreparedStatement rollup = c.prepareStatement("""
                         update usage_rollup set cost_usd = cost_usd + ?, billed_usd = billed_usd + ?, saved_usd = saved_usd + ?,
                                unpriced_requests = unpriced_requests - 1
                          where tenant_id = ? and project_id = ? and api_key_id = ? and model = ? and provider = ?
                            and ((granularity = 'h' and bucket_start = date_trunc('hour', ?::timestamptz, 'UTC'))
                              or (granularity = 'd' and bucket_start = date_trunc('day', ?::timestamptz, 'UTC')))""")) {
                select.setTimestamp(1, Timestamp.from(from));
                select.setTimestamp(2, Timestamp.from(to));
                select.setInt(3, limit);
                Map<UUID, BigDecimal> markups = new HashMap<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        examined++;
                        Instant at = rs.getTimestamp(2).toInstant();
                        TokenUsage usage = TokenUsageColumns.read(rs, 11);
                        UUID tenant = rs.getObject(3, UUID.class);
                        EventCost q = cost(rs.getString(4), rs.getString(5), usage, rs.getString(6), at, tenant,
                                markup(c, tenant, markups));
                        BigDecimal cost = q.costUsd();
                        BigDecimal billed = q.billedUsd();
                        BigDecimal saved = q.savedUsd();
                        update.setBigDecimal(1, cost);
                        update.setBigDecimal(2, billed);
                        update.setBigDecimal(3, saved);
                        update.setString(4, q.priceRef());
                        update.setBoolean(5, q.priced());
                        update.setString(6, rs.getString(1));
                        update.setTimestamp(7, rs.getTimestamp(2));
                        update.addBatch();
                        if (q.priced()) {
                            priced++;
                            if (rs.getBoolean(7)) {
                                rollup.setBigDecimal(1, cost);
                                rollup.setBigDecimal(2, billed);
                                rollup.setBigDecimal(3, saved == null ? BigDecimal.ZERO : saved);
                                rollup.setObject(4, rs.getObject(3, UUID.class));
                                rollup.setObject(5, orZero(rs.getObject(8, UUID.class)));
                                rollup.setObject(6, orZero(rs.getObject(9, UUID.class)));
                                rollup.setString(7, rs.getString(10));
                                rollup.setString(8, rs.getString(4) == null ? "" : rs.getString(4));
                                rollup.setTimestamp(9, rs.getTimestamp(2));
                                rollup.setTimestamp(10, rs.getTimestamp(2));
                                rollup.addBatch();
                            }
                        }
                    }
                }
                update.executeBatch();
                rollup.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("re-pricing failed", e);
        }
        return new Result(examined, priced);
    }

    /**
     * What one event costs, the one rule for live re-pricing and reconciliation: no usage costs
     * zero; a cache hit costs and bills zero and records what it saved; otherwise the price book's
     * quote. Amounts are null when the model is unpriced.
     */
    public record EventCost(@Nullable BigDecimal costUsd, @Nullable BigDecimal billedUsd, @Nullable BigDecimal savedUsd,
                            String priceRef, boolean priced) {
    }

    /** Prices one event's usage as the billing worker does. */
    public EventCost cost(@Nullable String provider, @Nullable String model, TokenUsage usage, @Nullable String cacheStatus,
                          Instant at, UUID tenant, BigDecimal markup) {
        Quote q = usage.totalTokens() == 0
                ? new Quote(BigDecimal.ZERO, BigDecimal.ZERO, "no-usage", true)
                : priceBook.price(provider, model, ExtractedUsage.countsOf(usage), at, tenant, markup).toQuote();
        if (!q.priced()) {
            return new EventCost(null, null, null, q.priceRef(), false);
        }
        boolean cacheHit = cacheStatus != null && cacheStatus.endsWith("hit");
        return cacheHit
                ? new EventCost(BigDecimal.ZERO, BigDecimal.ZERO, q.costUsd(), q.priceRef(), true)
                : new EventCost(q.costUsd(), q.billedUsd(), null, q.priceRef(), true);
    }

    /** The tenant's markup read on the connection already held (the pool may have no second one to give). */
    private static BigDecimal markup(Connection c, UUID tenant, Map<UUID, BigDecimal> cache) throws SQLException {
        BigDecimal m = cache.get(tenant);
        if (m == null) {
            try (PreparedStatement ps = c.prepareStatement("select markup from tenant where id = ?")) {
                ps.setObject(1, tenant);
                try (ResultSet rs = ps.executeQuery()) {
                    m = rs.next() ? rs.getBigDecimal(1) : BigDecimal.ONE;
                }
            }
            cache.put(tenant, m);
        }
        return m;
    }

    static UUID orZero(UUID id) {
        return id == null ? UsageRollupWorker.NONE : id;
    }
}
