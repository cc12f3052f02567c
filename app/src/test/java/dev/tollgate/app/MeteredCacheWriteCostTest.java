package dev.tollgate.app;

import dev.tollgate.platform.simulator.SimulatorSettings;
import dev.tollgate.platform.simulator.UpstreamSimulator;
import dev.tollgate.platform.testing.TestServices;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end: a client asks Anthropic (the simulator) for a 1-hour prompt-cache breakpoint
 * through the gateway's {@code /v1/messages}; the metered usage event holds the 1-hour write and
 * its cost prices it at claude-haiku-4-5's 1-hour rate ($2/MTok), not the 5-minute one ($1.25).
 */
class MeteredCacheWriteCostTest {

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void oneHourCacheWriteIsMeteredAtTheOneHourPrice(@TempDir Path home) throws Exception {
        try (UpstreamSimulator simulator = UpstreamSimulator.start(SimulatorSettings.defaults())) {
            ApplicationContext ctx = AppTestSupport.start("meteredcachewritecost", home, Map.of(
                    "tollgate.providers.anthropic.base-url", simulator.baseUrl() + "/anthropic/v1",
                    "tollgate.providers.anthropic.api-key", "sk-ant-simulated"));
            try {
                String base = AppTestSupport.baseUrl(ctx);
                HttpResponse<String> signup = post(base + "/api/v1/signup", null,
                        "{\"email\":\"cache@example.com\",\"password\":\"long enough password\",\"organization\":\"Cache Co\"}");
                assertEquals(201, signup.statusCode(), signup.body());
                String key = field(signup.body(), "api_key");

                String document = "Clause " + "The supplier shall deliver the goods within thirty days of the order. ".repeat(60);
                HttpResponse<String> answer = post(base + "/v1/messages", key, """
                        {"model":"claude-haiku-4-5","max_tokens":64,"messages":[{"role":"user","content":[
                          {"type":"text","text":"%s","cache_control":{"type":"ephemeral","ttl":"1h"}},
                          {"type":"text","text":"What is the delivery deadline?"}]}]}""".formatted(document));
                assertEquals(200, answer.statusCode(), answer.body());
                Matcher oneHour = Pattern.compile("\"ephemeral_1h_input_tokens\"\\s*:\\s*(\\d+)").matcher(answer.body());
                assertTrue(oneHour.find(), answer.body());
                long written = Long.parseLong(oneHour.group(1));
                assertTrue(written > 500, "the document was written to the 1-hour cache: " + written);

                try (Connection c = TestServices.connect(ctx.getRequiredProperty("datasources.default.url", String.class))) {
                    Map<String, Object> row = awaitPricedEvent(c);
                    assertEquals(written, row.get("cache_write_1h_tokens"));
                    assertEquals(written, row.get("cache_write_tokens"), "no 5-minute writes");
                    long input = (long) row.get("input_tokens");
                    long read = (long) row.get("cached_input_tokens");
                    long output = (long) row.get("output_tokens");
                    // claude-haiku-4-5 per MTok: $1 input, $1.25 5-minute write, $2 1-hour write, $0.10 read, $5 output
                    BigDecimal expected = BigDecimal.valueOf(input - read - written)
                            .add(BigDecimal.valueOf(written).multiply(BigDecimal.valueOf(2)))
                            .add(BigDecimal.valueOf(read).multiply(new BigDecimal("0.1")))
                            .add(BigDecimal.valueOf(output).multiply(BigDecimal.valueOf(5)))
                            .divide(MILLION).setScale(10, RoundingMode.HALF_UP);
                    BigDecimal cost = (BigDecimal) row.get("cost_usd");
                    assertEquals(0, expected.compareTo(cost), "expected " + expected + ", metered " + cost);
                    BigDecimal atFiveMinuteRate = expected.subtract(BigDecimal.valueOf(written).multiply(new BigDecimal("0.75"))
                            .divide(MILLION));
                    assertTrue(cost.compareTo(atFiveMinuteRate) > 0, "more than the 5-minute rate would give");
                    assertTrue(((String) row.get("price_ref")).endsWith("anthropic/claude-haiku-4-5"), (String) row.get("price_ref"));
                }
            } finally {
                AppTestSupport.stop(ctx);
            }
        }
    }

    private static Map<String, Object> awaitPricedEvent(Connection c) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                    select input_tokens, cached_input_tokens, cache_write_tokens, cache_write_1h_tokens, output_tokens, cost_usd, price_ref
                      from usage_event where endpoint <> 'models' and priced and model_requested = 'claude-haiku-4-5'""")) {
                if (rs.next()) {
                    Map<String, Object> row = new HashMap<>();
                    for (String column : new String[]{"input_tokens", "cached_input_tokens", "cache_write_tokens",
                            "cache_write_1h_tokens", "output_tokens"}) {
                        row.put(column, rs.getLong(column));
                    }
                    row.put("cost_usd", rs.getBigDecimal("cost_usd"));
                    row.put("price_ref", rs.getString("price_ref"));
                    return row;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no priced usage event for claude-haiku-4-5 within 20 s");
    }

    private HttpResponse<String> post(String url, String bearer, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return m.group(1);
    }
}
