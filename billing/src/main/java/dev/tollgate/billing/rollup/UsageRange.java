package dev.tollgate.billing.rollup;

import dev.tollgate.platform.usage.TokenUsageColumns;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;

/**
 * One tenant's rolled usage in {@code [from, to)}, exact in any time zone. Hourly rollups are on
 * UTC hours, so a boundary that is not on one (Asia/Kolkata's midnight is 18:30 UTC, Australia/
 * Adelaide's 13:30 or 14:30 UTC) cuts an hour in two. Whole hours are read from the rollups;
 * every cut hour is read from the rolled events themselves and split at the boundary. The
 * boundaries are {@code from} and {@code to}, and with {@link #byLocalDay} every local midnight
 * between them, so that grouping by local day is exact too.
 * <p>
 * {@link #sql()} is a subquery with the columns of {@code usage_rollup} ({@code project_id},
 * {@code api_key_id}, {@code model}, {@code provider}, {@code requests}, {@code errors},
 * {@code cache_hits}, {@code unpriced_requests}, the token counts, {@code cost_usd},
 * {@code billed_usd}, {@code saved_usd}, and {@code bucket_start}: the hour, or the event's time);
 * {@link #bind} fills its parameters.
 */
public record UsageRange(UUID tenant, Instant from, Instant to, List<Instant> cutHours) {

    private static final String COLUMNS = "project_id, api_key_id, model, provider, requests, errors, cache_hits, unpriced_requests, "
            + TokenUsageColumns.LIST + ", cost_usd, billed_usd, saved_usd";

    public UsageRange {
        cutHours = List.copyOf(cutHours);
    }

    /** The usage in {@code [from, to)}. */
    public static UsageRange of(UUID tenant, Instant from, Instant to) {
        return new UsageRange(tenant, from, to, cuts(List.of(from, to)));
    }

    /** The usage in {@code [from, to)}, exact for each calendar day of {@code zone} as well. */
    public static UsageRange byLocalDay(UUID tenant, Instant from, Instant to, ZoneId zone) {
        TreeSet<Instant> boundaries = new TreeSet<>(List.of(from, to));
        for (LocalDate d = LocalDate.ofInstant(from, zone).plusDays(1); ; d = d.plusDays(1)) {
            Instant midnight = d.atStartOfDay(zone).toInstant();
            if (!midnight.isBefore(to)) {
                break;
            }
            boundaries.add(midnight);
        }
        return new UsageRange(tenant, from, to, cuts(List.copyOf(boundaries)));
    }

    private static List<Instant> cuts(List<Instant> boundaries) {
        TreeSet<Instant> hours = new TreeSet<>();
        for (Instant b : boundaries) {
            Instant hour = b.truncatedTo(ChronoUnit.HOURS);
            if (!hour.equals(b)) {
                hours.add(hour);
            }
        }
        return List.copyOf(hours);
    }

    /** The subquery (parenthesised; give it an alias). */
    public String sql() {
        String rollups = "select " + COLUMNS + ", bucket_start from usage_rollup"
                + " where granularity = 'h' and tenant_id = ? and bucket_start >= date_trunc('hour', ?::timestamptz, 'UTC')"
                + " and bucket_start < ?" + (cutHours.isEmpty() ? "" : " and bucket_start <> all (?)");
        if (cutHours.isEmpty()) {
            return "(" + rollups + ")";
        }
        // the same grouping and counting as UsageRollupWorker's statement, one event at a time
        String events = """
                select coalesce(e.project_id, '00000000-0000-0000-0000-000000000000'::uuid),
                       coalesce(e.api_key_id, '00000000-0000-0000-0000-000000000000'::uuid),
                       coalesce(e.model_served, e.model_requested, ''), coalesce(e.provider, ''), 1::bigint,
                       (e.status >= 400)::int::bigint, (e.cache_status in ('hit', 'semantic_hit'))::int::bigint,
                       (not e.priced)::int::bigint, e.input_tokens, e.cached_input_tokens, e.cache_write_tokens, e.output_tokens,
                       e.reasoning_tokens, e.cache_write_1h_tokens, e.input_audio_tokens, e.cached_input_audio_tokens,
                       e.output_audio_tokens, coalesce(e.cost_usd, 0), coalesce(e.billed_usd, 0), coalesce(e.saved_usd, 0), e.occurred_at
                  from unnest(?::timestamptz[]) h(hour_start)
                  join usage_event e on e.tenant_id = ? and e.rolled
                   and e.occurred_at >= greatest(h.hour_start, ?) and e.occurred_at < least(h.hour_start + interval '1 hour', ?)""";
        return "(" + rollups + " union all " + events + ")";
    }

    /** Binds {@link #sql()}'s parameters from {@code first}; returns the next parameter index. */
    public int bind(PreparedStatement ps, int first) throws SQLException {
        int i = first;
        ps.setObject(i++, tenant);
        ps.setTimestamp(i++, Timestamp.from(from));
        ps.setTimestamp(i++, Timestamp.from(to));
        if (cutHours.isEmpty()) {
            return i;
        }
        java.sql.Array hours = ps.getConnection().createArrayOf("timestamptz",
                cutHours.stream().map(Timestamp::from).toArray(Timestamp[]::new));
        ps.setArray(i++, hours);
        ps.setArray(i++, hours);
        ps.setObject(i++, tenant);
        ps.setTimestamp(i++, Timestamp.from(from));
        ps.setTimestamp(i++, Timestamp.from(to));
        return i;
    }
}
