package dev.tollgate.billing.rollup;

import dev.tollgate.billing.invoice.LocalInvoiceDrafter;
import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.security.TenantUser;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The signed-in tenant's usage, read from the hourly rollups:
 * {@code GET /api/v1/usage?from=&to=&group_by=day|model|key|project&project_id=&key_id=} and
 * the same as CSV at {@code /api/v1/usage.csv}. {@code from}/{@code to} are ISO-8601 instants,
 * exact ({@link UsageRange} reads the events of a partial hour); {@code to} defaults to now and
 * {@code from} to 30 days before it. Days are calendar days in the tenant's time zone, exact also
 * where midnight is not on a UTC hour (Asia/Kolkata, Australia/Adelaide).
 */
@Tag(name = "Usage and budgets")
@SecurityRequirement(name = "tenantToken")
@Controller("/api/v1")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "tollgate.billing.enabled", notEquals = "false")
public class UsageController {

    private static final Duration MAX_RANGE = Duration.ofDays(400);
    private final DataSource dataSource;

    public UsageController(DataSource dataSource) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    @Operation(summary = "The tenant's usage from the hourly rollups, grouped by day, model, key or project")
    @Get("/usage")
    public Map<String, List<UsageRow>> usage(Authentication auth, @QueryValue @Nullable String from, @QueryValue @Nullable String to,
                                             @QueryValue("group_by") @Nullable String groupBy,
                                             @QueryValue("project_id") @Nullable String projectId,
                                             @QueryValue("key_id") @Nullable String keyId) {
        return Map.of("rows", query(TenantUser.from(auth), from, to, groupBy, projectId, keyId));
    }

    @Operation(summary = "The tenant's usage as CSV")
    @Get(value = "/usage.csv", produces = "text/csv")
    public HttpResponse<String> usageCsv(Authentication auth, @QueryValue @Nullable String from, @QueryValue @Nullable String to,
                                         @QueryValue("group_by") @Nullable String groupBy,
                                         @QueryValue("project_id") @Nullable String projectId,
                                         @QueryValue("key_id") @Nullable String keyId) {
        StringBuilder csv = new StringBuilder("group,requests,input_tokens,cached_input_tokens,output_tokens,reasoning_tokens,cost_usd,"
                + "unpriced_requests,cache_write_tokens,cache_write_1h_tokens,input_audio_tokens,cached_input_audio_tokens,"
                + "output_audio_tokens\n");
        for (UsageRow r : query(TenantUser.from(auth), from, to, groupBy, projectId, keyId)) {
            csv.append(csvField(r.group())).append(',').append(r.requests()).append(',').append(r.inputTokens()).append(',')
                    .append(r.cachedInputTokens()).append(',').append(r.outputTokens()).append(',').append(r.reasoningTokens())
                    .append(',').append(r.costUsd()).append(',').append(r.unpricedRequests()).append(',').append(r.cacheWriteTokens())
                    .append(',').append(r.cacheWrite1hTokens()).append(',').append(r.inputAudioTokens()).append(',')
                    .append(r.cachedInputAudioTokens()).append(',').append(r.outputAudioTokens()).append('\n');
        }
        return HttpResponse.ok(csv.toString()).contentType("text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"usage.csv\"");
    }

    private List<UsageRow> query(TenantUser user, @Nullable String fromText, @Nullable String toText, @Nullable String groupBy,
                                 @Nullable String projectText, @Nullable String keyText) {
        Instant to = instant(toText, "to", Instant.now());
        Instant from = instant(fromText, "from", to.minus(Duration.ofDays(30)));
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("from must be before to", "from");
        }
        if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            throw ApiException.badRequest("the range may span at most 400 days", "from");
        }
        boolean byDay = groupBy == null || groupBy.equals("day");
        String group = switch (byDay ? "day" : groupBy) {
            case "day" -> "to_char(bucket_start at time zone ?, 'YYYY-MM-DD')";
            case "model" -> "model";
            case "key" -> "api_key_id::text";
            case "project" -> "project_id::text";
            default -> throw ApiException.badRequest("group_by must be one of day, model, key, project", "group_by");
        };
        UUID project = projectText == null ? null : owned(user, "project", projectText);
        UUID key = keyText == null ? null : owned(user, "api_key", keyText);
        List<UsageRow> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            ZoneId zone = timeZone(c, user.tenantId());
            UsageRange range = byDay ? UsageRange.byLocalDay(user.tenantId(), from, to, zone) : UsageRange.of(user.tenantId(), from, to);
            String sql = "select " + group + """
                    , sum(requests), sum(input_tokens), sum(cached_input_tokens), sum(output_tokens), sum(reasoning_tokens),
                           sum(billed_usd), sum(unpriced_requests), sum(cache_write_tokens), sum(cache_write_1h_tokens),
                           sum(input_audio_tokens), sum(cached_input_audio_tokens), sum(output_audio_tokens)
                      from """ + range.sql() + " r where true" + (project == null ? "" : " and project_id = ?")
                    + (key == null ? "" : " and api_key_id = ?") + " group by 1 order by 1";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                if (byDay) {
                    ps.setString(i++, zone.equals(ZoneOffset.UTC) ? "UTC" : zone.getId());
                }
                i = range.bind(ps, i);
                if (project != null) {
                    ps.setObject(i++, project);
                }
                if (key != null) {
                    ps.setObject(i, key);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String g = rs.getString(1);
                        if (UsageRollupWorker.NONE.toString().equals(g)) {
                            g = "";
                        }
                        BigDecimal cost = rs.getBigDecimal(7);
                        rows.add(new UsageRow(g, rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                                cost.signum() == 0 ? "0" : cost.stripTrailingZeros().toPlainString(), rs.getLong(8), rs.getLong(9),
                                rs.getLong(10), rs.getLong(11), rs.getLong(12), rs.getLong(13)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("usage query failed", e);
        }
        return rows;
    }

    private static ZoneId timeZone(Connection c, UUID tenant) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select time_zone from tenant where id = ?")) {
            ps.setObject(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                return LocalInvoiceDrafter.zone(rs.next() ? rs.getString(1) : "UTC");
            }
        }
    }

    private UUID owned(TenantUser user, String table, String idText) {
        UUID id;
        try {
            id = UUID.fromString(idText);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("no such " + (table.equals("api_key") ? "key" : table) + " " + idText, "not_found");
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select 1 from " + table + " where id = ? and tenant_id = ?")) {
            ps.setObject(1, id);
            ps.setObject(2, user.tenantId());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.notFound("no such " + (table.equals("api_key") ? "key" : table) + " " + idText, "not_found");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("lookup failed", e);
        }
        return id;
    }

    private static Instant instant(@Nullable String text, String param, Instant fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(param + " must be an ISO-8601 instant such as 2026-03-01T00:00:00Z", param);
        }
    }

    private static String csvField(String v) {
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
