package dev.tollgate.app;

import dev.tollgate.platform.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scale-out story, as separate processes of the real {@code tollgate.jar} on one machine
 * against one PostgreSQL and one Redis: two gateway replicas (the first also serving the tenant
 * API), a billing worker, and the upstream simulator as its own process. Limits, revocation and
 * metering must hold across them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiProcessIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JarProcesses jars = new JarProcesses();
    private String jdbcUrl;
    private String simulator;
    private String gatewayA;
    private String gatewayB;

    @BeforeAll
    void startCluster() throws Exception {
        Map<String, String> services = TestServices.isolatedEnvironment("multiprocess");
        jdbcUrl = services.get("datasources.default.url");

        int simPort = JarProcesses.freePort();
        simulator = "http://127.0.0.1:" + simPort;
        jars.start(List.of("simulator", "--port", Integer.toString(simPort)), Map.of(), "simulator");

        Map<String, String> shared = new HashMap<>();
        shared.put("DATASOURCES_DEFAULT_URL", jdbcUrl);
        shared.put("DATASOURCES_DEFAULT_USERNAME", services.get("datasources.default.username"));
        shared.put("DATASOURCES_DEFAULT_PASSWORD", services.get("datasources.default.password"));
        shared.put("REDIS_URI", services.get("redis.uri"));
        shared.put("TOLLGATE_REDIS_PREFIX", services.get("tollgate.redis.prefix"));
        shared.put("TOLLGATE_MASTER_KEY", services.get("tollgate.master-key"));
        shared.put("TOLLGATE_JWT_SECRET", services.get("micronaut.security.token.jwt.signatures.secret.generator.secret"));
        shared.put("TOLLGATE_ADMIN_TOKEN", TestServices.ADMIN_TOKEN);
        shared.put("TOLLGATE_PROVIDERS_OPENAI_BASE_URL", simulator + "/openai/v1");
        shared.put("TOLLGATE_PROVIDERS_OPENAI_API_KEY", "sk-simulated");
        shared.put("TOLLGATE_BILLING_WORKER_INTERVAL", "1s");

        int portA = JarProcesses.freePort();
        int portB = JarProcesses.freePort();
        int portBilling = JarProcesses.freePort();
        gatewayA = "http://127.0.0.1:" + portA;
        gatewayB = "http://127.0.0.1:" + portB;
        jars.start(List.of(), role(shared, portA, true, false, true), "gateway-a");
        jars.start(List.of(), role(shared, portB, true, false, false), "gateway-b");
        jars.start(List.of(), role(shared, portBilling, false, true, false), "billing");
        for (String base : List.of(gatewayA, gatewayB, "http://127.0.0.1:" + portBilling)) {
            jars.awaitHealthy(base);
        }
    }

    @AfterAll
    void stopCluster() {
        jars.close();
    }

    @Test
    void limitsRevocationAndMeteringHoldAcrossProcesses() throws Exception {
        String signup = post(gatewayA + "/api/v1/signup", null,
                "{\"email\":\"ops-" + UUID.randomUUID() + "@example.com\",\"password\":\"correct horse battery\",\"organization\":\"Multi Co\"}");
        String token = field(signup, "access_token");
        String project = field(signup, "project_id");
        String tenant = field(signup, "tenant_id");

        String limited = post(gatewayA + "/api/v1/keys", token,
                "{\"name\":\"limited\",\"project_id\":\"" + project + "\",\"limits\":{\"rpm\":10}}");
        String limitedKey = field(limited, "key");

        // 1. the RPM limit is shared: 20 requests spread over both replicas admit exactly 10
        int ok = 0;
        int limitedCount = 0;
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = chat(i % 2 == 0 ? gatewayA : gatewayB, limitedKey);
            if (r.statusCode() == 200) {
                ok++;
            } else if (r.statusCode() == 429) {
                limitedCount++;
                assertTrue(r.headers().firstValue("retry-after").isPresent(), "429 carries Retry-After");
            }
        }
        assertEquals(10, ok, "admitted across both replicas");
        assertEquals(10, limitedCount, "refused across both replicas");

        // 2. revocation through replica A is refused by replica B within 5 seconds
        String other = post(gatewayA + "/api/v1/keys", token, "{\"name\":\"to-revoke\",\"project_id\":\"" + project + "\"}");
        String otherKey = field(other, "key");
        assertEquals(200, chat(gatewayB, otherKey).statusCode(), "B knows (and caches) the key");
        HttpResponse<String> revoke = http.send(HttpRequest.newBuilder(URI.create(gatewayA + "/api/v1/keys/" + field(other, "id")))
                .header("Authorization", "Bearer " + token).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(revoke.statusCode() / 100 == 2, "revoked: " + revoke.body());
        Instant revokedAt = Instant.now();
        int status = 200;
        while (Duration.between(revokedAt, Instant.now()).toMillis() < 5_000 && status == 200) {
            status = chat(gatewayB, otherKey).statusCode();
            if (status == 200) {
                Thread.sleep(100);
            }
        }
        assertEquals(401, status, "replica B refuses the revoked key within 5 s");
        ok++;

        // 3. metering: what both gateways recorded equals what the upstream served, and the
        //    billing worker (a third process) rolls every event up exactly once
        long served = servedRequests();
        assertEquals(ok, served, "upstream served exactly the admitted requests");
        long metered = awaitCount("select count(*) from usage_event where tenant_id = '" + tenant + "' and status = 200", served);
        assertEquals(served, metered, "one usage event per served request; events by status and endpoint: "
                + rows("select status, endpoint, count(*) from usage_event where tenant_id = '" + tenant + "' group by 1, 2"));
        long events = awaitCount("select count(*) from usage_event where tenant_id = '" + tenant + "'", -1);
        long rolled = awaitCount("select coalesce(sum(requests), 0) from usage_rollup where tenant_id = '" + tenant
                + "' and granularity = 'h'", events);
        assertEquals(events, rolled, "every event, refused ones too, rolled up exactly once by the billing process");
    }

    private Map<String, String> role(Map<String, String> shared, int port, boolean gateway, boolean billing, boolean tenantApi)
            throws IOException {
        Map<String, String> env = new HashMap<>(shared);
        env.put("MICRONAUT_SERVER_PORT", Integer.toString(port));
        env.put("TOLLGATE_HOME", Files.createTempDirectory("tollgate-" + port).toString());
        env.put("TOLLGATE_GATEWAY_ENABLED", Boolean.toString(gateway));
        env.put("TOLLGATE_BILLING_ENABLED", Boolean.toString(billing));
        env.put("TOLLGATE_TENANT_API_ENABLED", Boolean.toString(tenantApi));
        env.put("TOLLGATE_PORTAL_ENABLED", "false");
        return env;
    }

    private HttpResponse<String> chat(String base, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private String post(String url, String token, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() / 100 == 2, url + " answered " + r.statusCode() + " " + r.body());
        return r.body();
    }

    private long servedRequests() throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(simulator + "/served")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        long total = 0;
        Matcher m = Pattern.compile("\"requests\"\\s*:\\s*(\\d+)").matcher(body);
        while (m.find()) {
            total += Long.parseLong(m.group(1));
        }
        return total;
    }

    /** Polls {@code sql} until it yields {@code expected} (or, with -1, until it stops changing). */
    private long awaitCount(String sql, long expected) throws Exception {
        Instant deadline = Instant.now().plusSeconds(expected < 0 ? 3 : 30);
        long value = -1;
        while (Instant.now().isBefore(deadline)) {
            try (Connection c = TestServices.connect(jdbcUrl); ResultSet rs = c.createStatement().executeQuery(sql)) {
                rs.next();
                value = rs.getLong(1);
            }
            if (value == expected) {
                return value;
            }
            Thread.sleep(250);
        }
        return value;
    }

    private String rows(String sql) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = TestServices.connect(jdbcUrl); ResultSet rs = c.createStatement().executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                out.append('[');
                for (int i = 1; i <= columns; i++) {
                    out.append(i > 1 ? ", " : "").append(rs.getString(i));
                }
                out.append(']');
            }
        }
        return out.toString();
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return m.group(1);
    }
}
