package dev.tollgate.portal.usage;

import dev.tollgate.platform.key.ApiKeyToken;
import dev.tollgate.tenant.web.Db;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads the request log of one tenant, and only reads: its {@code usage_event} rows (written by
 * the gateway's meter) with, where the project opted in, the redacted text the gateway keeps in
 * {@code request_log} (migration {@code V202}). The portal does not depend on the gateway; the
 * two meet in these tables. Every query is scoped by the tenant id, so another tenant's request
 * id finds nothing. Blocking: call from the blocking executor.
 */
@Singleton
public class RequestQueries {

    private static final String SELECT = """
            select e.request_id, e.occurred_at, k.name, k.public_id, p.name, e.endpoint, e.model_requested,
                   coalesce(e.model_served, e.model_requested), e.provider, e.streamed, e.status, e.error_type,
                   e.cache_status, e.input_tokens, e.cached_input_tokens, e.cache_write_tokens, e.output_tokens,
                   e.reasoning_tokens, e.latency_ms, e.upstream_latency_ms, e.ttft_ms, e.billed_usd, e.saved_usd,
                   e.priced, e.price_ref,
                   case when jsonb_typeof(e.attempts) = 'array' then jsonb_array_length(e.attempts) else 0 end,
                   exists (select 1 from request_log l where l.request_id = e.request_id and l.tenant_id = e.tenant_id)
            """ + UsageQueries.FROM;

    private final Db db;

    public RequestQueries(Db db) {
        this.db = db;
    }

    /** Up to {@code limit} requests of {@code filter}, newest first, older than {@code before} when given. */
    public List<RequestRow> page(UUID tenantId, UsageFilter filter, ZoneId zone, @Nullable RequestCursor before, int limit) {
        UsageQueries.Where w = UsageQueries.where(tenantId, filter, zone);
        StringBuilder sql = new StringBuilder(SELECT).append(w.sql());
        List<Object> params = new ArrayList<>(w.params());
        if (before != null) {
            sql.append(" and (e.occurred_at, e.request_id) < (?, ?)");
            params.add(before.occurredAt());
            params.add(before.requestId());
        }
        sql.append(" order by e.occurred_at desc, e.request_id desc limit ?");
        params.add(limit);
        return db.read(c -> rows(c, sql.toString(), params));
    }

    /** One request of the tenant with its attempts and logged text; empty when the tenant has no such request. */
    public Optional<RequestDetail> find(UUID tenantId, String requestId) {
        return db.read(c -> {
            Optional<RequestRow> row = one(c, tenantId, requestId);
            if (row.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new RequestDetail(row.get(), attempts(c, tenantId, requestId), messages(c, tenantId, requestId),
                    response(c, tenantId, requestId)));
        });
    }

    /** One request's usage event only (the playground's cost line). */
    public Optional<RequestRow> row(UUID tenantId, String requestId) {
        return db.read(c -> one(c, tenantId, requestId));
    }

    private static Optional<RequestRow> one(Connection c, UUID tenantId, String requestId) throws SQLException {
        return rows(c, SELECT + " where e.tenant_id = ? and e.request_id = ? limit 1", List.of(tenantId, requestId)).stream().findFirst();
    }

    /** Distinct HTTP statuses of the tenant's requests in the filter's days, for the status choices. */
    public List<Integer> statuses(UUID tenantId, UsageFilter filter, ZoneId zone) {
        UsageQueries.Where w = UsageQueries.where(tenantId, filter.daysOnly(), zone);
        return db.read(c -> {
            try (PreparedStatement ps = Db.prepare(c, "select distinct e.status from usage_event e" + w.sql() + " order by 1 limit 50",
                    w.params().toArray());
                 ResultSet rs = ps.executeQuery()) {
                List<Integer> statuses = new ArrayList<>();
                while (rs.next()) {
                    statuses.add(rs.getInt(1));
                }
                return statuses;
            }
        });
    }

    private static List<Attempt> attempts(Connection c, UUID tenantId, String requestId) throws SQLException {
        try (PreparedStatement ps = Db.prepare(c, """
                select coalesce(a.value ->> 'target', '?'), coalesce(a.value ->> 'outcome', '?'),
                       case when jsonb_typeof(a.value -> 'status') = 'number' then (a.value ->> 'status')::numeric::int else 0 end,
                       case when jsonb_typeof(a.value -> 'latency_ms') = 'number' then (a.value ->> 'latency_ms')::numeric::bigint else 0 end,
                       a.value ->> 'error'
                  from usage_event e
                 cross join lateral jsonb_array_elements(
                       case when jsonb_typeof(e.attempts) = 'array' then e.attempts else '[]'::jsonb end) with ordinality a(value, n)
                 where e.tenant_id = ? and e.request_id = ? and jsonb_typeof(a.value) = 'object'
                 order by a.n""", tenantId, requestId);
             ResultSet rs = ps.executeQuery()) {
            List<Attempt> attempts = new ArrayList<>();
            while (rs.next()) {
                attempts.add(new Attempt(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getString(5)));
            }
            return attempts;
        }
    }

    private static List<LoggedMessage> messages(Connection c, UUID tenantId, String requestId) throws SQLException {
        try (PreparedStatement ps = Db.prepare(c, """
                select coalesce(m.value ->> 'role', ''), coalesce(m.value ->> 'content', ''),
                       (select string_agg(coalesce(t ->> 'name', '?') || '(' || coalesce(t ->> 'arguments', '') || ')', E'\\n')
                          from jsonb_array_elements(case when jsonb_typeof(m.value -> 'tool_calls') = 'array'
                                                         then m.value -> 'tool_calls' else '[]'::jsonb end) t)
                  from request_log l
                 cross join lateral jsonb_array_elements(case when jsonb_typeof(l.request -> 'messages') = 'array'
                                                              then l.request -> 'messages' else '[]'::jsonb end) with ordinality m(value, n)
                 where l.tenant_id = ? and l.request_id = ? and jsonb_typeof(m.value) = 'object'
                 order by m.n""", tenantId, requestId);
             ResultSet rs = ps.executeQuery()) {
            List<LoggedMessage> messages = new ArrayList<>();
            while (rs.next()) {
                messages.add(new LoggedMessage(rs.getString(1), rs.getString(2), rs.getString(3)));
            }
            return messages;
        }
    }

    @Nullable
    private static String response(Connection c, UUID tenantId, String requestId) throws SQLException {
        try (PreparedStatement ps = Db.prepare(c, "select response from request_log where tenant_id = ? and request_id = ?",
                tenantId, requestId);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static List<RequestRow> rows(Connection c, String sql, List<Object> params) throws SQLException {
        try (PreparedStatement ps = Db.prepare(c, sql, params.toArray());
             ResultSet rs = ps.executeQuery()) {
            List<RequestRow> rows = new ArrayList<>();
            while (rs.next()) {
                String publicId = rs.getString(4);
                rows.add(new RequestRow(rs.getString(1), Db.instant(rs.getTimestamp(2)), rs.getString(3),
                        publicId == null ? null : ApiKeyToken.PREFIX + publicId, rs.getString(5), rs.getString(6),
                        rs.getString(7), rs.getString(8), rs.getString(9), rs.getBoolean(10), rs.getInt(11),
                        rs.getString(12), rs.getString(13), rs.getLong(14), rs.getLong(15), rs.getLong(16),
                        rs.getLong(17), rs.getLong(18), rs.getLong(19), nullableLong(rs, 20), nullableLong(rs, 21),
                        rs.getBigDecimal(22), rs.getBigDecimal(23), rs.getBoolean(24), rs.getString(25), rs.getInt(26),
                        rs.getBoolean(27)));
            }
            return rows;
        }
    }

    @Nullable
    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
