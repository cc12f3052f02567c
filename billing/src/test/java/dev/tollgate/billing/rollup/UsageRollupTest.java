package dev.tollgate.billing.rollup;

import dev.tollgate.billing.testing.Fixtures;
import dev.tollgate.billing.testing.Http;
import dev.tollgate.platform.security.Role;
import dev.tollgate.platform.testing.RealServices;
import dev.tollgate.platform.usage.TokenUsage;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UsageRollupTest implements RealServices {

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("tollgate.billing.worker-interval", "1h", "tollgate.billing.batch-size", "4");
    }

    @Inject
    @Client("/")
    HttpClient http;
    @Inject
    UsageRollupWorker worker;

    @Inject
    Fixtures f;
    UUID tenantA;
    UUID projectA;
    UUID keyA;
    UUID keyA2;
    UUID tenantB;
    UUID keyB;
    static final Instant T0 = Instant.parse("2026-03-10T10:15:00Z");

    @BeforeAll
    void seed() {
        tenantA = f.tenant("1.5", "America/New_York");
        projectA = f.project(tenantA);
        keyA = f.key(tenantA, projectA);
        keyA2 = f.key(tenantA, projectA);
        tenantB = f.tenant("1.0", "UTC");
        keyB = f.key(tenantB, f.project(tenantB));
        for (int i = 0; i < 10; i++) {
            // gpt-4o: 1000 × $2.50 + 100 × $10 per MTok = $0.0035 each, billed × 1.5 = $0.00525
            f.event(tenantA, projectA, i < 6 ? keyA : keyA2, "openai", "gpt-4o", T0.plusSeconds(i * 60L), 1000, 0, 100, 0);
        }
        f.event(tenantA, projectA, keyA, "openai", "mystery-1", T0, 500, 0, 50, 0);
        f.event(tenantA, projectA, keyA, "openai", "mystery-1", T0.plusSeconds(7200), 500, 0, 50, 0);
        f.event(tenantB, null, null, "anthropic", "claude-3-5-haiku-20241022", T0, 1000, 0, 1000, 0);
    }

    @SuppressWarnings("rawtypes")
    private HttpResponse<Map> get(String path, UUID tenant, Role role) {
        return Http.exchange(http.toBlocking(), HttpRequest.GET(path).bearerAuth(f.token(tenant, role)));
    }

    @Test
    @Order(1)
    void concurrentWorkersPriceAndRollEveryEventExactlyOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Integer>> runs = List.of(pool.submit(worker::runOnce), pool.submit(worker::runOnce), pool.submit(worker::runOnce));
        int rolled = 0;
        for (Future<Integer> r : runs) {
            rolled += r.get();
        }
        pool.shutdown();
        rolled += worker.runOnce();
        assertEquals(13, rolled);
        assertEquals("0", f.text("select count(*) from usage_event where not rolled"));
        assertEquals("13", f.text("select sum(requests) from usage_rollup where granularity = 'h'"));
        assertEquals("13", f.text("select sum(requests) from usage_rollup where granularity = 'd'"));
        assertEquals(0, new BigDecimal("0.0525").compareTo(new BigDecimal(f.text(
                "select sum(billed_usd) from usage_rollup where granularity = 'h' and tenant_id = ?", tenantA))));
        assertEquals(0, new BigDecimal("0.035").compareTo(new BigDecimal(f.text(
                "select sum(cost_usd) from usage_event where tenant_id = ? and priced", tenantA))));
        assertEquals("genai-prices@47df840:openai/gpt-4o", f.text("select distinct price_ref from usage_event where model_served = 'gpt-4o'"));
        assertEquals("2", f.text("select sum(unpriced_requests) from usage_rollup where granularity = 'd'"));
        // rollups equal the events they came from
        assertEquals(f.text("select sum(billed_usd) from usage_event"), f.text("select sum(billed_usd) from usage_rollup where granularity = 'd'"));
        assertEquals(0, worker.runOnce());
    }

    @Test
    @Order(2)
    void aLateEventLandsInItsOwnHour() {
        f.event(tenantA, projectA, keyA, "openai", "gpt-4o", T0.minusSeconds(86_400), 1000, 0, 100, 0);
        assertEquals(1, worker.runOnce());
        assertEquals("1", f.text("select requests from usage_rollup where granularity = 'h' and bucket_start = '2026-03-09T10:00:00Z'"));
    }

    @Test
    @Order(3)
    @SuppressWarnings({"rawtypes", "unchecked"})
    void usageIsReportedByModelDayKeyAndProjectForTheSignedInTenantOnly() {
        String range = "from=2026-03-10T00:00:00Z&to=2026-03-11T00:00:00Z";
        HttpResponse<Map> byModel = get("/api/v1/usage?" + range + "&group_by=model", tenantA, Role.VIEWER);
        assertEquals(HttpStatus.OK, byModel.getStatus());
        List<Map> rows = (List<Map>) byModel.body().get("rows");
        assertEquals(2, rows.size());
        Map gpt = rows.get(0);
        assertEquals("gpt-4o", gpt.get("group"));
        assertEquals(10, ((Number) gpt.get("requests")).intValue());
        assertEquals(10_000, ((Number) gpt.get("input_tokens")).intValue());
        assertEquals(0, new BigDecimal("0.0525").compareTo(new BigDecimal((String) gpt.get("cost_usd"))));
        assertEquals("mystery-1", rows.get(1).get("group"));
        assertEquals(2, ((Number) rows.get(1).get("unpriced_requests")).intValue());

        // days in the tenant's zone (New York): 10:15Z is 06:15 local on the 10th
        List<Map> days = (List<Map>) get("/api/v1/usage?from=2026-03-09T00:00:00Z&to=2026-03-11T00:00:00Z&group_by=day",
                tenantA, Role.VIEWER).body().get("rows");
        assertEquals(List.of("2026-03-09", "2026-03-10"), days.stream().map(d -> d.get("group")).toList());

        List<Map> byKey = (List<Map>) get("/api/v1/usage?" + range + "&group_by=key&project_id=" + projectA, tenantA, Role.MEMBER)
                .body().get("rows");
        assertEquals(2, byKey.size());
        List<Map> oneKey = (List<Map>) get("/api/v1/usage?" + range + "&group_by=model&key_id=" + keyA2, tenantA, Role.MEMBER)
                .body().get("rows");
        assertEquals(4, ((Number) oneKey.get(0).get("requests")).intValue());

        List<Map> b = (List<Map>) get("/api/v1/usage?" + range + "&group_by=model", tenantB, Role.OWNER).body().get("rows");
        assertEquals(1, b.size());
        assertEquals("claude-3-5-haiku-20241022", b.get(0).get("group"));
        assertEquals(HttpStatus.NOT_FOUND, get("/api/v1/usage?" + range + "&key_id=" + keyA, tenantB, Role.OWNER).getStatus());
        assertEquals(HttpStatus.NOT_FOUND, get("/api/v1/usage?" + range + "&project_id=" + projectA, tenantB, Role.OWNER).getStatus());
    }

    @Test
    @Order(4)
    void csvHasTheSameRows() {
        String csv = http.toBlocking().retrieve(HttpRequest.GET("/api/v1/usage.csv?from=2026-03-10T00:00:00Z&to=2026-03-11T00:00:00Z&group_by=model")
                .bearerAuth(f.token(tenantA, Role.VIEWER)), String.class);
        String[] lines = csv.split("\n");
        assertEquals("group,requests,input_tokens,cached_input_tokens,output_tokens,reasoning_tokens,cost_usd,unpriced_requests,"
                + "cache_write_tokens,cache_write_1h_tokens,input_audio_tokens,cached_input_audio_tokens,output_audio_tokens", lines[0]);
        assertEquals("gpt-4o,10,10000,0,1000,0,0.0525,0,0,0,0,0,0", lines[1]);
        assertEquals("mystery-1,2,1000,0,100,0,0,2,0,0,0,0,0", lines[2]);
    }

    @Test
    @Order(5)
    @SuppressWarnings("rawtypes")
    void badQueriesAreRefused() {
        assertEquals(HttpStatus.BAD_REQUEST, get("/api/v1/usage?group_by=week", tenantA, Role.VIEWER).getStatus());
        assertEquals(HttpStatus.BAD_REQUEST, get("/api/v1/usage?from=yesterday", tenantA, Role.VIEWER).getStatus());
        assertEquals(HttpStatus.BAD_REQUEST, get("/api/v1/usage?from=2026-03-11T00:00:00Z&to=2026-03-10T00:00:00Z", tenantA, Role.VIEWER).getStatus());
        assertEquals(HttpStatus.NOT_FOUND, get("/api/v1/usage?key_id=nope", tenantA, Role.VIEWER).getStatus());
        assertEquals(HttpStatus.UNAUTHORIZED, Http.exchange(http.toBlocking(), HttpRequest.GET("/api/v1/usage")).getStatus());
    }

    @Test
    @Order(6)
    @SuppressWarnings("rawtypes")
    void anOperatorPriceRepricesRolledEventsAndTheirRollups() {
        HttpResponse<Map> o = Http.exchange(http.toBlocking(), Http.admin(HttpRequest.POST("/admin/v1/prices/overrides",
                "{\"provider_id\":\"openai\",\"model_id\":\"mystery-1\",\"prices\":{\"input_mtok\":1,\"output_mtok\":2},"
                        + "\"effective_from\":\"2026-01-01T00:00:00Z\"}")));
        assertEquals(HttpStatus.CREATED, o.getStatus());
        HttpResponse<Map> r = Http.exchange(http.toBlocking(), Http.admin(HttpRequest.POST(
                "/admin/v1/usage/reprice?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z", "")));
        assertEquals(HttpStatus.OK, r.getStatus());
        assertEquals(2, ((Number) r.body().get("priced")).intValue());
        assertEquals("0", f.text("select sum(unpriced_requests) from usage_rollup where granularity = 'h'"));
        // 500 × $1 + 50 × $2 = $0.0006 each, × 1.5 markup, twice
        assertEquals(0, new BigDecimal("0.0018").compareTo(new BigDecimal(f.text(
                "select sum(billed_usd) from usage_rollup where granularity = 'h' and model = 'mystery-1'"))));
        assertEquals(f.text("select sum(billed_usd) from usage_event"), f.text("select sum(billed_usd) from usage_rollup where granularity = 'd'"));
        assertEquals(f.text("select sum(billed_usd) from usage_event"), f.text("select sum(billed_usd) from usage_rollup where granularity = 'h'"));
    }

    @Test
    @Order(7)
    @SuppressWarnings({"rawtypes", "unchecked"})
    void cacheWriteDurationsAndAudioAreRolledAndReported() {
        UUID tenantC = f.tenant("1.0", "UTC");
        Instant t = Instant.parse("2026-03-12T08:00:00Z");
        f.event(tenantC, "anthropic", "claude-sonnet-4-20250514", t, new TokenUsage(1000, 0, 400, 200, 0, 300, 0, 0, 0));
        f.event(tenantC, "openai", "gpt-4o-audio-preview", t.plusSeconds(60), new TokenUsage(500, 100, 0, 300, 0, 0, 200, 50, 120));
        f.event(tenantC, "openai", "gpt-4o-audio-preview", t.plusSeconds(5400), new TokenUsage(100, 0, 0, 80, 0, 0, 40, 0, 30));
        assertEquals(3, worker.runOnce());
        String counts = "concat_ws('|', sum(cache_write_tokens), sum(cache_write_1h_tokens), sum(input_audio_tokens), "
                + "sum(cached_input_audio_tokens), sum(output_audio_tokens))";
        String events = f.text("select " + counts + " from usage_event where tenant_id = ?", tenantC);
        assertEquals("400|300|240|50|150", events);
        assertEquals(events, f.text("select " + counts + " from usage_rollup where tenant_id = ? and granularity = 'h'", tenantC));
        assertEquals(events, f.text("select " + counts + " from usage_rollup where tenant_id = ? and granularity = 'd'", tenantC));

        List<Map> rows = (List<Map>) get("/api/v1/usage?from=2026-03-12T00:00:00Z&to=2026-03-13T00:00:00Z&group_by=model",
                tenantC, Role.VIEWER).body().get("rows");
        Map claude = rows.get(0);
        assertEquals("claude-sonnet-4-20250514", claude.get("group"));
        assertEquals(400, ((Number) claude.get("cache_write_tokens")).intValue());
        assertEquals(300, ((Number) claude.get("cache_write_1h_tokens")).intValue());
        Map audio = rows.get(1);
        assertEquals("gpt-4o-audio-preview", audio.get("group"));
        assertEquals(240, ((Number) audio.get("input_audio_tokens")).intValue());
        assertEquals(50, ((Number) audio.get("cached_input_audio_tokens")).intValue());
        assertEquals(150, ((Number) audio.get("output_audio_tokens")).intValue());

        // from 08:00:30 cuts the 08:00 hour: the cut hour is read from the events, with the new counts too
        List<Map> cut = (List<Map>) get("/api/v1/usage?from=2026-03-12T08:00:30Z&to=2026-03-13T00:00:00Z&group_by=model",
                tenantC, Role.VIEWER).body().get("rows");
        assertEquals(List.of("gpt-4o-audio-preview"), cut.stream().map(r -> r.get("group")).toList());
        assertEquals(150, ((Number) cut.get(0).get("output_audio_tokens")).intValue());

        String csv = http.toBlocking().retrieve(HttpRequest.GET("/api/v1/usage.csv?from=2026-03-12T00:00:00Z&to=2026-03-13T00:00:00Z&group_by=model")
                .bearerAuth(f.token(tenantC, Role.VIEWER)), String.class);
        String[] lines = csv.split("\n");
        assertTrue(lines[1].startsWith("claude-sonnet-4-20250514,1,1000,0,200,0,"), lines[1]);
        assertTrue(lines[1].endsWith(",400,300,0,0,0"), lines[1]);
        assertTrue(lines[2].startsWith("gpt-4o-audio-preview,2,600,100,380,0,"), lines[2]);
        assertTrue(lines[2].endsWith(",0,0,240,50,150"), lines[2]);
    }
}
