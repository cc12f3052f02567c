package dev.tollgate.gateway.meter;

import dev.tollgate.platform.usage.TokenUsageColumns;
import dev.tollgate.platform.usage.UsageEvent;
import jakarta.inject.Singleton;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;

/**
 * Inserts usage events in one transaction per batch, idempotently: a request id already stored
 * (with the same {@code occurred_at}, which a replay keeps) is skipped. Blocking: call it from
 * the journal's own thread only.
 */
@Singleton
public class UsageEventWriter {

    private static final String INSERT = """
            insert into usage_event (request_id, occurred_at, tenant_id, project_id, api_key_id, endpoint,
                model_requested, model_served, provider, streamed, status, error_type, cache_status,
                %s,
                latency_ms, upstream_latency_ms, ttft_ms, cost_usd, billed_usd, saved_usd, price_ref, priced, attempts)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, %s?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
            on conflict do nothing
            """.formatted(TokenUsageColumns.LIST, "?, ".repeat(TokenUsageColumns.COUNT));

    private final DataSource dataSource;

    public UsageEventWriter(DataSource dataSource) {
        // raw pool connections: these run on their own threads, outside Micronaut Data's connection scopes
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    /** Inserts the events; returns how many were new. */
    public int insert(List<UsageEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return 0;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (UsageEvent e : events) {
                    bind(ps, e);
                    ps.addBatch();
                }
                int inserted = 0;
                for (int n : ps.executeBatch()) {
                    inserted += Math.max(0, n);
                }
                c.commit();
                return inserted;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static void bind(PreparedStatement ps, UsageEvent e) throws SQLException {
        int i = 1;
        ps.setString(i++, e.requestId());
        ps.setTimestamp(i++, Timestamp.from(e.occurredAt()));
        ps.setObject(i++, e.tenantId());
        ps.setObject(i++, e.projectId());
        ps.setObject(i++, e.apiKeyId());
        ps.setString(i++, e.endpoint());
        ps.setString(i++, e.modelRequested());
        ps.setString(i++, e.modelServed());
        ps.setString(i++, e.provider());
        ps.setBoolean(i++, e.streamed());
        ps.setInt(i++, e.status());
        ps.setString(i++, e.errorType());
        ps.setString(i++, e.cacheStatus());
        i = TokenUsageColumns.bind(ps, i, e.usage());
        ps.setInt(i++, (int) Math.min(Integer.MAX_VALUE, e.latencyMs()));
        setInt(ps, i++, e.upstreamLatencyMs());
        setInt(ps, i++, e.ttftMs());
        setDecimal(ps, i++, e.costUsd());
        setDecimal(ps, i++, e.billedUsd());
        setDecimal(ps, i++, e.savedUsd());
        ps.setString(i++, e.priceRef());
        ps.setBoolean(i++, e.priced());
        ps.setString(i, e.attempts());
    }

    private static void setInt(PreparedStatement ps, int i, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, (int) Math.min(Integer.MAX_VALUE, value));
        }
    }

    private static void setDecimal(PreparedStatement ps, int i, BigDecimal value) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.NUMERIC);
        } else {
            ps.setBigDecimal(i, value);
        }
    }
}
