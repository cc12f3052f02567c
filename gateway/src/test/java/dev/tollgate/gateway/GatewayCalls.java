package dev.tollgate.gateway;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Raw HTTP calls to a running gateway and reads of the rows it wrote, for the routing, cache and guard tests. */
public final class GatewayCalls {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final DataSource dataSource;

    public GatewayCalls(String baseUrl, DataSource dataSource) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.dataSource = GatewayTestSupport.raw(dataSource);
    }

    /** A chat completion body with one user message (and an optional system prompt). */
    public static String chatBody(String model, String user, boolean stream) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":16," + (stream ? "\"stream\":true," : "")
                + "\"messages\":[{\"role\":\"user\",\"content\":" + quote(user) + "}]}";
    }

    public static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** POSTs to {@code path} with the key and extra headers (name, value, name, value …). */
    public HttpResponse<String> post(String path, String key, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> chat(String key, String body, String... headers) throws Exception {
        return post("/v1/chat/completions", key, body, headers);
    }

    /** Any request with a bearer token (JWT for the management API). */
    public HttpResponse<String> send(String method, String path, String bearer, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json");
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until the tenant has {@code expected} usage events and returns them, oldest first, as column maps. */
    public List<Map<String, Object>> usageEvents(UUID tenantId, int expected) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        List<Map<String, Object>> rows = rows("select * from usage_event where tenant_id = ? order by occurred_at, request_id", tenantId);
        while (rows.size() < expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            rows = rows("select * from usage_event where tenant_id = ? order by occurred_at, request_id", tenantId);
        }
        if (rows.size() != expected) {
            throw new AssertionError("expected " + expected + " usage events, found " + rows.size());
        }
        return rows;
    }

    /** The usage event of one request id, waiting for it. */
    public Map<String, Object> usageEvent(String requestId) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            List<Map<String, Object>> rows = rows("select * from usage_event where request_id = ?", requestId);
            if (!rows.isEmpty()) {
                return rows.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no usage event for " + requestId);
    }

    public List<Map<String, Object>> rows(String sql, Object... args) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Map<String, Object>> out = new ArrayList<>();
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new HashMap<>();
                    for (int i = 1; i <= n; i++) {
                        Object v = rs.getObject(i);
                        row.put(rs.getMetaData().getColumnLabel(i), v == null ? null : v instanceof org.postgresql.util.PGobject pg ? pg.getValue() : v);
                    }
                    out.add(row);
                }
                return out;
            }
        }
    }

    public void exec(String sql, Object... args) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            GatewayTestSupport.exec(c, sql, args);
        }
    }
}
