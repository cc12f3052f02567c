package dev.tollgate.gateway.meter;

import dev.tollgate.gateway.GatewayTest;
import dev.tollgate.gateway.GatewayTestSupport;
import dev.tollgate.platform.simulator.Served;
import dev.tollgate.platform.simulator.ServedStats;
import dev.tollgate.platform.simulator.Timing;
import dev.tollgate.platform.simulator.UpstreamSimulator;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInstance;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the gateway metered equals what the simulators say they served, token for token: JSON,
 * streams (with and without the caller asking for usage) and clients that disconnect mid-stream or
 * before the upstream answered.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// the hang-ups leave slow upstream calls behind, which must not land in the first test's served counts
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeteringAccuracyTest extends GatewayTest {

    final HttpClient http = HttpClient.newHttpClient();
    GatewayTestSupport.TestKey key;
    UpstreamSimulator simulator;
    Timing timing;

    @BeforeAll
    void setUp() throws Exception {
        key = createKey();
        simulator = GatewayTestSupport.simulator();
        timing = simulator.timing();
    }

    @AfterAll
    void restore() {
        simulator.timing(timing);
    }

    HttpRequest request(String path, String body) {
        return HttpRequest.newBuilder(URI.create(server.getURL() + path)).header("Authorization", "Bearer " + key.value())
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    @Test
    @Order(1)
    void meteredEqualsServed() throws Exception {
        simulator.resetServed();
        int requests = 0;
        for (String model : List.of("gpt-4o-mini", "claude-3-5-haiku-latest", "gemini-2.0-flash", "azure-gpt")) {
            String chat = "{\"model\":\"%s\",\"messages\":[{\"role\":\"system\",\"content\":\"Be kind.\"},{\"role\":\"user\",\"content\":\"Tell me about metering %s\"}]%s}";
            assertEquals(200, http.send(request("/v1/chat/completions", chat.formatted(model, "json", "")),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(200, http.send(request("/v1/chat/completions", chat.formatted(model, "stream", ",\"stream\":true")),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            requests += 2;
        }
        assertEquals(200, http.send(request("/v1/messages",
                "{\"model\":\"gpt-4o-mini\",\"max_tokens\":200,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"anthropic in, openai out\"}]}"),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(200, http.send(request("/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":[\"one\",\"two words\"]}"),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        requests += 2;

        // clients that hang up after the first events, while the upstream is still generating
        simulator.timing(new Timing(0, 0, 20));
        for (String model : List.of("gpt-4o-mini", "claude-3-5-haiku-latest", "gemini-2.0-flash")) {
            HttpResponse<InputStream> r = http.send(request("/v1/chat/completions",
                    "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"A long story please\"}]}"),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, r.statusCode());
            BufferedReader reader = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
            int dataLines = 0;
            while (dataLines < 2) {
                String line = reader.readLine();
                if (line != null && line.startsWith("data:")) {
                    dataLines++;
                }
            }
            r.body().close();
            requests++;
        }

        waitForEvents(requests);
        Served served = simulator.served();
        Map<String, long[]> metered = meteredByProviderAndModel();
        assertEquals(served.providers().values().stream().mapToInt(Map::size).sum(), metered.size(), metered.keySet() + " vs " + served);
        for (Map.Entry<String, long[]> e : metered.entrySet()) {
            String[] pm = e.getKey().split("\\|");
            ServedStats s = served.stats(pm[0], pm[1]);
            long[] m = e.getValue();
            assertEquals(s.requests(), m[0], e.getKey() + " requests");
            assertEquals(s.inputTokens(), m[1], e.getKey() + " input tokens");
            assertEquals(s.outputTokens(), m[2], e.getKey() + " output tokens");
            assertEquals(s.cacheReadTokens(), m[3], e.getKey() + " cached input tokens");
        }
        assertEquals(3, countDisconnected());
    }

    /**
     * Clients that give up before the upstream answered anything (a slow provider, an overloaded
     * gateway): each request is metered once, as {@code 499 client_disconnected}, with the usage of
     * the upstream call it had started (the provider bills it), and gives back what it reserved —
     * here its key's only concurrency slot, which the next request needs.
     */
    @Test
    @Order(2)
    void hangUpsBeforeTheFirstByteAreMeteredAndReleaseTheirReservation() throws Exception {
        GatewayTestSupport.TestKey slow = createKey("{}", "{}", "{\"max_concurrent\": 1}", "{}");
        List<String[]> requests = List.of(
                new String[]{"/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"json\"}]}"},
                new String[]{"/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"sse\"}]}"},
                new String[]{"/v1/messages", "{\"model\":\"claude-3-5-haiku-latest\",\"max_tokens\":50,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"sse\"}]}"},
                new String[]{"/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"vectors\"}"});
        simulator.timing(new Timing(1_500, 0, 0));
        try {
            int sent = 0;
            for (String[] r : requests) {
                try (Socket socket = new Socket(server.getHost(), server.getPort())) {
                    byte[] body = r[1].getBytes(StandardCharsets.UTF_8);
                    socket.getOutputStream().write(("POST " + r[0] + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + slow.value()
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().write(body);
                    socket.getOutputStream().flush();
                    // the upstream answers after 1.5 s: hang up while the gateway waits for it
                    Thread.sleep(400);
                }
                sent++;
                // the next request needs the slot this one holds until its upstream call ended and it was metered
                awaitEvents(slow.tenantId(), sent);
            }
            assertEquals(requests.size(), scalar("""
                    select count(*) from usage_event
                     where tenant_id = ? and status = 499 and error_type = 'client_disconnected' and input_tokens > 0""", slow.tenantId()),
                    () -> describeEvents(slow.tenantId()));
        } finally {
            simulator.timing(timing);
        }
        HttpResponse<String> next = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + slow.value()).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, next.statusCode(), "the slot was given back: " + next.body());
        assertEquals(requests.size() + 1, awaitEvents(slow.tenantId(), requests.size() + 1),
                () -> "one event per request: " + describeEvents(slow.tenantId()));
    }

    private String describeEvents(UUID tenant) {
        StringBuilder b = new StringBuilder();
        try (Connection c = GatewayTestSupport.raw(dataSource).getConnection(); PreparedStatement ps = c.prepareStatement(
                "select endpoint, streamed, status, error_type, input_tokens from usage_event where tenant_id = ? order by occurred_at")) {
            ps.setObject(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    b.append(rs.getString(1)).append(rs.getBoolean(2) ? "/sse " : "/json ").append(rs.getInt(3)).append(' ')
                            .append(rs.getString(4)).append(" in=").append(rs.getLong(5)).append("; ");
                }
            }
        } catch (Exception e) {
            b.append(e);
        }
        return b.toString();
    }

    private void waitForEvents(int expected) throws Exception {
        assertEquals(expected, awaitEvents(key.tenantId(), expected));
    }

    /** The tenant's usage events once there are at least {@code expected} (they are written asynchronously), or after 30 s. */
    private long awaitEvents(UUID tenant, long expected) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        long n;
        while ((n = scalar("select count(*) from usage_event where tenant_id = ?", tenant)) < expected
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        return n;
    }

    private long countDisconnected() throws Exception {
        return scalar("select count(*) from usage_event where tenant_id = ? and error_type = 'client_disconnected' and streamed");
    }

    private long scalar(String sql) throws Exception {
        return scalar(sql, key.tenantId());
    }

    private long scalar(String sql, UUID tenant) throws Exception {
        try (Connection c = GatewayTestSupport.raw(dataSource).getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private Map<String, long[]> meteredByProviderAndModel() throws Exception {
        Map<String, long[]> out = new HashMap<>();
        try (Connection c = GatewayTestSupport.raw(dataSource).getConnection(); PreparedStatement ps = c.prepareStatement("""
                select provider, model_served, count(*), sum(input_tokens), sum(output_tokens), sum(cached_input_tokens)
                  from usage_event where tenant_id = ? group by provider, model_served""")) {
            ps.setObject(1, key.tenantId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1) + "|" + rs.getString(2),
                            new long[]{rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)});
                }
            }
        }
        return out;
    }
}
