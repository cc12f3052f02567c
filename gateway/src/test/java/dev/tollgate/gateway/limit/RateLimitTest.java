package dev.tollgate.gateway.limit;

import dev.tollgate.gateway.GatewayTest;
import dev.tollgate.gateway.GatewayTestSupport;
import dev.tollgate.gateway.meter.UsageJournal;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Limits in Redis: shared by replicas, OpenAI's headers, 429 with Retry-After, quotas and the USD budget (402). */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RateLimitTest extends GatewayTest {

    @Inject
    UsageJournal journal;

    final HttpClient http = HttpClient.newHttpClient();
    private ApplicationContext second;

    @Override
    public Map<String, String> extraProperties() {
        return GatewayTestSupport.gatewayProperties(
                "test.flat-price-book", "true",
                // a loaded CI machine must not turn a slow Redis answer into the local fail-open limiter here
                "tollgate.limits.redis-timeout", "5s");
    }

    @AfterAll
    void stopSecond() {
        if (second != null) {
            second.close();
        }
    }

    HttpResponse<String> chat(String baseUrl, String key, String model) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model
                        + "\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void twoGatewaysSharingRedisAdmitExactlyTheConfiguredRpm() throws Exception {
        EmbeddedServer other = startReplica();
        second = other.getApplicationContext();
        GatewayTestSupport.TestKey key = createKey("{}", "{}", "{\"rpm\": 12}", "{}");
        List<String> urls = List.of(server.getURL().toString(), other.getURL().toString());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<HttpResponse<String>>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String url = urls.get(i % 2);
            results.add(pool.submit((Callable<HttpResponse<String>>) () -> chat(url, key.value(), "gpt-4o-mini")));
        }
        int ok = 0;
        int limited = 0;
        for (Future<HttpResponse<String>> f : results) {
            HttpResponse<String> r = f.get();
            if (r.statusCode() == 200) {
                ok++;
                assertEquals("12", r.headers().firstValue("x-ratelimit-limit-requests").orElseThrow());
                assertNotNull(r.headers().firstValue("x-ratelimit-reset-requests").orElse(null));
            } else {
                assertEquals(429, r.statusCode(), r.body());
                assertTrue(r.body().contains("rpm_limit_exceeded"), r.body());
                assertTrue(Integer.parseInt(r.headers().firstValue("Retry-After").orElseThrow()) >= 1);
                assertEquals("0", r.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
                limited++;
            }
        }
        pool.shutdown();
        assertEquals(12, ok);
        assertEquals(8, limited);
    }

    @Test
    void dailyTokenQuotaRefusesOnceUsedUp() throws Exception {
        GatewayTestSupport.TestKey key = createKey("{}", "{\"tokens_per_day\": 60}", "{}", "{}");
        int ok = 0;
        HttpResponse<String> last = null;
        for (int i = 0; i < 10; i++) {
            last = chat(server.getURL().toString(), key.value(), "gpt-4o-mini");
            if (last.statusCode() != 200) {
                break;
            }
            ok++;
        }
        assertTrue(ok >= 1 && ok < 10, "admitted " + ok);
        assertEquals(429, last.statusCode());
        assertTrue(last.body().contains("token_quota_exceeded"), last.body());
    }

    @Test
    void monthlyBudgetAnswers402AndEventsArePriced() throws Exception {
        GatewayTestSupport.TestKey key = GatewayTestSupport.createKey(dataSource, hasher,
                "{\"budget_usd_per_month\": 0.10}", "{}", "{}", "{}");
        HttpResponse<String> last = null;
        int ok = 0;
        for (int i = 0; i < 20; i++) {
            last = chat(server.getURL().toString(), key.value(), "gpt-4o-mini");
            if (last.statusCode() != 200) {
                break;
            }
            ok++;
        }
        assertTrue(ok >= 1, "at least one request fits the budget");
        assertEquals(402, last.statusCode(), last.body());
        assertTrue(last.body().contains("budget_exceeded"));
        assertTrue(journal.awaitFlushed(Duration.ofSeconds(10)));
        try (Connection c = GatewayTestSupport.raw(dataSource).getConnection(); ResultSet rs = c.createStatement().executeQuery(
                "select sum(billed_usd), bool_and(priced) from usage_event where status = 200 and tenant_id = '" + key.tenantId() + "'")) {
            rs.next();
            assertTrue(rs.getBigDecimal(1).compareTo(new java.math.BigDecimal("0.10")) <= 0, "spent " + rs.getBigDecimal(1));
            assertTrue(rs.getBoolean(2));
        }
    }

    @Test
    void concurrencyLimit() throws Exception {
        GatewayTestSupport.TestKey key = createKey("{}", "{}", "{\"max_concurrent\": 1}", "{}");
        var simulator = GatewayTestSupport.simulator();
        var timing = simulator.timing();
        simulator.timing(new dev.tollgate.platform.simulator.Timing(400, 0, 0));
        try {
            ExecutorService pool = Executors.newFixedThreadPool(3);
            List<Future<HttpResponse<String>>> results = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                results.add(pool.submit((Callable<HttpResponse<String>>) () -> chat(server.getURL().toString(), key.value(), "gpt-4o-mini")));
            }
            int ok = 0;
            int limited = 0;
            for (Future<HttpResponse<String>> f : results) {
                int status = f.get().statusCode();
                ok += status == 200 ? 1 : 0;
                limited += status == 429 ? 1 : 0;
            }
            pool.shutdown();
            assertEquals(1, ok);
            assertEquals(2, limited);
            assertEquals(200, chat(server.getURL().toString(), key.value(), "gpt-4o-mini").statusCode(), "the slot was released");
        } finally {
            simulator.timing(timing);
        }
    }
}
