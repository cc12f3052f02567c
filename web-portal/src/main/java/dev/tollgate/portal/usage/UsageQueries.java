package dev.tollgate.portal.usage;

import dev.tollgate.platform.key.ApiKeyToken;
import dev.tollgate.tenant.web.Db;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads {@code usage_event} for one tenant: totals, groups, daily spend per model and the models
 * used ({@link RequestQueries} reads single requests). Amounts are what the tenant is billed ({@code billed_usd});
 * days are days in the tenant's time zone. Blocking: call from the blocking executor.
 */
@Singleton
public class UsageQueries {

    static final String FROM = """
             from usage_event e
             left join api_key k on k.id = e.api_key_id and k.tenant_id = e.tenant_id
             left join project p on p.id = e.project_id and p.tenant_id = e.tenant_id
            """;

    private final Db db;

    public UsageQueries(Db db) {
        this.db = db;
    }

    /** A where clause with its parameters. */
    record Where(String sql, List<Object> params) {
    }

    /** The events of {@code f} (alias {@code e}) of one tenant. */
    static Where where(UUID tenantId, UsageFilter f, ZoneId zone) {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder(" where e.tenant_id = ? and e.occurred_at >= ? and e.occurred_at < ?");
        params.add(tenantId);
        params.add(f.from().atStartOfDay(zone).toInstant());
        params.add(f.to().plusDays(1).atStartOfDay(zone).toInstant());
        if (f.projectId() != null) {
            sql.append(" and e.project_id = ?");
            params.add(f.projectId());
        }
        if (f.keyId() != null) {
            sql.append(" and e.api_key_id = ?");
            params.add(f.keyId());
        }
        if (f.model() != null) {
            sql.append(" and coalesce(e.model_served, e.model_requested) = ?");
            params.add(f.model());
        }
        if ("ok".equals(f.status())) {
            sql.append(" and e.status < 400");
        } else if ("error".equals(f.status())) {
            sql.append(" and e.status >= 400");
        } else if (f.status() != null) {
            sql.append(" and e.status = ?");
            params.add(Integer.parseInt(f.status()));
        }
        return new Where(sql.toString(), params);
    }

    public UsageSummary summary(UUID tenantId, UsageFilter filter, ZoneId zone) {
        Where w = where(tenantId, filter, zone);
        return db.read(c -> {
            try (PreparedStatement ps = Db.prepare(c, """
                    select count(*), coalesce(sum(e.input_tokens), 0), coalesce(sum(e.output_tokens), 0),
                           coalesce(sum(e.cached_input_tokens), 0),
                           count(*) filter (where e.status >= 400),
                           count(*) filter (where e.cache_status in ('hit', 'semantic_hit')),
                           coalesce(sum(e.billed_usd), 0), coalesce(sum(e.saved_usd), 0),
                           count(*) filter (where not e.priced and e.status < 400 and e.cache_status not in ('hit', 'semantic_hit'))
                    """ + FROM + w.sql(), w.params().toArray());
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new UsageSummary(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), rs.getBigDecimal(7), rs.getBigDecimal(8), rs.getLong(9));
            }
        });
    }

    public List<UsageRow> grouped(UUID tenantId, UsageFilter filter, GroupBy by, ZoneId zone, int limit) {
        Where w = where(tenantId, filter, zone);
        List<Object> params = new ArrayList<>();
        String group = switch (by) {
            case DAY -> {
                params.add(zone.getId());
                yield "to_char(e.occurred_at at time zone ?, 'YYYY-MM-DD')";
            }
            case MODEL -> "coalesce(e.model_served, e.model_requested, '(unknown)')";
            case KEY -> "coalesce(k.name || ' · " + ApiKeyToken.PREFIX + "' || k.public_id, '(no key)')";
            case PROJECT -> "coalesce(p.name, '(no project)')";
        };
        params.addAll(w.params());
        params.add(limit);
        String order = by == GroupBy.DAY ? "1" : "7 desc, 2 desc, 1";
        return db.read(c -> {
            try (PreparedStatement ps = Db.prepare(c, "select " + group + """
                    , count(*), coalesce(sum(e.input_tokens), 0), coalesce(sum(e.output_tokens), 0),
                      coalesce(sum(e.cached_input_tokens), 0), count(*) filter (where e.status >= 400),
                      coalesce(sum(e.billed_usd), 0)
                    """ + FROM + w.sql() + " group by 1 order by " + order + " limit ?", params.toArray());
                 ResultSet rs = ps.executeQuery()) {
                List<UsageRow> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(new UsageRow(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                            rs.getLong(6), rs.getBigDecimal(7)));
                }
                return rows;
            }
        });
    }

    /** Spend per day (key {@code yyyy-mm-dd}) and model, for the stacked chart. */
    public Map<String, Map<String, BigDecimal>> dailySpendByModel(UUID tenantId, UsageFilter filter, ZoneId zone) {
        Where w = where(tenantId, filter, zone);
        List<Object> params = new ArrayList<>();
        params.add(zone.getId());
        params.addAll(w.params());
        return db.read(c -> {
            try (PreparedStatement ps = Db.prepare(c, """
                    select to_char(e.occurred_at at time zone ?, 'YYYY-MM-DD'),
                           coalesce(e.model_served, e.model_requested, '(unknown)'), coalesce(sum(e.billed_usd), 0)
                    """ + FROM + w.sql() + " group by 1, 2 order by 1, 2", params.toArray());
                 ResultSet rs = ps.executeQuery()) {
                Map<String, Map<String, BigDecimal>> days = new LinkedHashMap<>();
                while (rs.next()) {
                    days.computeIfAbsent(rs.getString(1), d -> new LinkedHashMap<>()).put(rs.getString(2), rs.getBigDecimal(3));
                }
                return days;
            }
        });
    }

    /** Distinct models the tenant used in the range, for filter choices. */
    public List<String> models(UUID tenantId, UsageFilter filter, ZoneId zone) {
        Where w = where(tenantId, filter.daysOnly(), zone);
        return db.read(c -> {
            try (PreparedStatement ps = Db.prepare(c, "select distinct coalesce(e.model_served, e.model_requested) m"
                    + FROM + w.sql() + " and coalesce(e.model_served, e.model_requested) is not null order by 1 limit 200",
                    w.params().toArray());
                 ResultSet rs = ps.executeQuery()) {
                List<String> models = new ArrayList<>();
                while (rs.next()) {
                    models.add(rs.getString(1));
                }
                return models;
            }
        });
    }
}
