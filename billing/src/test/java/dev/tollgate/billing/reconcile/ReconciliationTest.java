package dev.tollgate.billing.reconcile;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.tollgate.billing.rollup.UsageRollupWorker;
import dev.tollgate.billing.testing.Fixtures;
import dev.tollgate.billing.testing.Http;
import dev.tollgate.platform.simulator.SimulatorSettings;
import dev.tollgate.platform.simulator.UpstreamSimulator;
import dev.tollgate.platform.testing.RealServices;
import dev.tollgate.platform.usage.TokenUsage;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reconciliation against the upstream simulators' usage APIs: zero drift when the events are
 * what the providers served, and each injected difference classified.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SuppressWarnings({"rawtypes", "unchecked"})
class ReconciliationTest implements RealServices {

    static final UpstreamSimulator SIM = UpstreamSimulator.start(SimulatorSettings.defaults());
    static final String HAIKU = "claude-3-5-haiku-20241022";
    static final Gson GSON = new Gson();

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("tollgate.billing.worker-interval", "1h",
                "tollgate.billing.reconciliation-interval", "1h",
                "tollgate.providers.openai.base-url", SIM.baseUrl() + "/openai/v1",
                "tollgate.providers.openai.api-key", "sk-test-openai",
                "tollgate.providers.anthropic.base-url", SIM.baseUrl() + "/anthropic/v1",
                "tollgate.providers.anthropic.api-key", "sk-ant-test",
                "tollgate.providers.gemini.base-url", SIM.baseUrl() + "/gemini/v1beta",
                "tollgate.providers.gemini.api-key", "g-test");
    }

    @Inject
    @Client("/")
    HttpClient http;
    @Inject
    UsageRollupWorker worker;
    @Inject
    ReconciliationJob job;

    @Inject
    Fixtures f;
    UUID tenant;
    UUID project;
    UUID key;
    final LocalDate today = LocalDate.now(ZoneOffset.UTC);

    @BeforeAll
    void serve() throws Exception {
        tenant = f.tenant("1.25", "UTC");
        project = f.project(tenant);
        key = f.key(tenant, project);
        String prompt = "Reconciliation compares metered tokens with provider reports. ".repeat(150);
        for (int i = 0; i < 3; i++) {
            openAi("gpt-4o", prompt, true);
        }
        openAi("gpt-4o-mini", "short question " + UUID.randomUUID(), true);
        openAi("gpt-4o-mini", "another short question", true);
        anthropic(HAIKU, "hello there", true);
        anthropic(HAIKU, "and again, a little longer this time", true);
        worker.runOnce();
    }

    @AfterAll
    void stop() {
        SIM.close();
    }

    /** A chat completion served by the simulator, metered as the gateway would unless {@code meter} is false. */
    private void openAi(String model, String prompt, boolean meter) throws Exception {
        JsonObject usage = post("/openai/v1/chat/completions", Map.of("model", model,
                "messages", List.of(Map.of("role", "user", "content", prompt))), "Authorization", "Bearer sk-test-openai")
                .getAsJsonObject("usage");
        long cached = usage.has("prompt_tokens_details") ? usage.getAsJsonObject("prompt_tokens_details").get("cached_tokens").getAsLong() : 0;
        if (meter) {
            event("openai", model, usage.get("prompt_tokens").getAsLong(), cached, 0, usage.get("completion_tokens").getAsLong(), "miss");
        }
    }

    private void anthropic(String model, String prompt, boolean meter) throws Exception {
        JsonObject usage = post("/anthropic/v1/messages", Map.of("model", model, "max_tokens", 200,
                        "messages", List.of(Map.of("role", "user", "content", prompt))), "x-api-key", "sk-ant-test")
                .getAsJsonObject("usage");
        long read = usage.get("cache_read_input_tokens").getAsLong();
        long write = usage.get("cache_creation_input_tokens").getAsLong();
        if (meter) {
            event("anthropic", model, usage.get("input_tokens").getAsLong() + read + write, read, write,
                    usage.get("output_tokens").getAsLong(), "none");
        }
    }

    private JsonObject post(String path, Map<String, Object> body, String header, String value) throws IOException, InterruptedException {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(URI.create(SIM.baseUrl() + path)).header("Content-Type", "application/json").header(header, value)
                .header("anthropic-version", "2023-06-01").POST(BodyPublishers.ofString(GSON.toJson(body))).build(), BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return GSON.fromJson(r.body(), JsonObject.class);
    }

    private String event(String provider, String model, long input, long cached, long write, long output, String cacheStatus) {
        String id = "req_" + UUID.randomUUID();
        f.exec("""
                insert into usage_event (request_id, occurred_at, tenant_id, project_id, api_key_id, endpoint, model_requested, model_served,
                                         provider, status, cache_status, input_tokens, cached_input_tokens, cache_write_tokens, output_tokens)
                values (?, ?, ?, ?, ?, 'chat', ?, ?, ?, 200, ?, ?, ?, ?, ?)""",
                id, Timestamp.from(Instant.now()), tenant, project, key, model, model, provider, cacheStatus, input, cached, write, output);
        return id;
    }

    private HttpResponse<Map> reconcile() {
        return Http.exchange(http.toBlocking(), Http.admin(HttpRequest.GET("/admin/v1/reconciliation?from=" + today + "&to=" + today.plusDays(1))));
    }

    private static Map row(List<Map> rows, String provider, String model) {
        return rows.stream().filter(r -> provider.equals(r.get("provider")) && model.equals(r.get("model"))).findFirst().orElseThrow();
    }

    private static long n(Object o) {
        return ((Number) o).longValue();
    }

    @Test
    @Order(1)
    void cleanDataHasZeroDrift() {
        HttpResponse<Map> r = reconcile();
        assertEquals(HttpStatus.OK, r.getStatus());
        Map body = r.body();
        assertEquals(List.of(), body.get("differences"));
        assertEquals(false, body.get("drift"));
        assertEquals(Map.of(), body.get("errors"));
        List<Map> rows = (List<Map>) body.get("rows");
        Map gpt = row(rows, "openai", "gpt-4o");
        assertEquals(3, n(gpt.get("events")));
        assertEquals(3, n(gpt.get("rollup_requests")));
        assertEquals(3, n(gpt.get("provider_requests")));
        assertEquals(n(gpt.get("input_tokens")), n(gpt.get("provider_input_tokens")));
        assertEquals(n(gpt.get("output_tokens")), n(gpt.get("provider_output_tokens")));
        assertEquals(gpt.get("stored_cost_usd"), gpt.get("repriced_cost_usd"));
        assertEquals(gpt.get("stored_cost_usd"), gpt.get("rollup_cost_usd"));
        assertTrue(Double.parseDouble((String) gpt.get("stored_cost_usd")) > 0);
        Map haiku = row(rows, "anthropic", HAIKU);
        assertNull(haiku.get("provider_requests"), "Anthropic's report does not count requests");
        assertEquals(n(haiku.get("input_tokens")), n(haiku.get("provider_input_tokens")));
        assertEquals("0", f.text("select differences from reconciliation_run where id = ?::uuid", body.get("run_id")));
    }

    @Test
    @Order(2)
    void injectedDifferencesAreClassified() throws Exception {
        // the rollups lost an event (flagged rolled, never added)
        String lost = event("openai", "gpt-4.1-nano", 100, 0, 0, 10, "hit");
        f.exec("update usage_event set rolled = true, priced = true, cost_usd = 0, billed_usd = 0, price_ref = 'x' where request_id = ?", lost);
        // the provider served a request the gateway never metered
        openAi("gpt-4o-mini", "unmetered " + UUID.randomUUID(), false);
        // a stored cost that the price table does not give
        f.exec("""
                update usage_event set cost_usd = cost_usd + 0.001
                 where request_id = (select request_id from usage_event where model_served = 'gpt-4o' limit 1)""");
        // tokens changed after metering
        f.exec("""
                update usage_event set output_tokens = output_tokens + 7
                 where request_id = (select request_id from usage_event where model_served = ? limit 1)""", HAIKU);
        // rollups that lost 1-hour cache writes and audio output (events of a provider without a usage API)
        f.event(tenant, "mistral", "voxtral-test", Instant.now(), new TokenUsage(100, 0, 40, 20, 0, 30, 10, 0, 5));
        assertEquals(1, worker.runOnce());
        f.exec("update usage_rollup set cache_write_1h_tokens = 0, output_audio_tokens = 0 where model = 'voxtral-test'");

        Map body = reconcile().body();
        assertEquals(true, body.get("drift"));
        Set<String> found = ((List<Map>) body.get("differences")).stream()
                .map(d -> d.get("check") + " " + d.get("kind") + " " + d.get("provider") + " " + d.get("model"))
                .collect(Collectors.toSet());
        assertEquals(Set.of(
                "cost missing_events openai gpt-4.1-nano",
                "provider missing_events openai gpt-4o-mini",
                "cost price_mismatch openai gpt-4o",
                "cost token_mismatch anthropic " + HAIKU,
                "provider token_mismatch anthropic " + HAIKU,
                "cost token_mismatch mistral voxtral-test"), found);
        Map audio = ((List<Map>) body.get("differences")).stream()
                .filter(d -> "voxtral-test".equals(d.get("model"))).findFirst().orElseThrow();
        assertEquals("cache_write_1h_tokens=30, output_audio_tokens=5", audio.get("expected"));
        assertEquals("cache_write_1h_tokens=0, output_audio_tokens=0", audio.get("actual"));
        Map mini = ((List<Map>) body.get("differences")).stream()
                .filter(d -> "gpt-4o-mini".equals(d.get("model"))).findFirst().orElseThrow();
        assertEquals("3", mini.get("expected"));
        assertEquals("2", mini.get("actual"));
        assertEquals("6", f.text("select count(*) from reconciliation_difference where run_id = ?::uuid", body.get("run_id")));
        assertEquals("6", f.text("select differences from reconciliation_run where id = ?::uuid", body.get("run_id")));
    }

    @Test
    @Order(3)
    void theScheduledJobChecksCompletedDaysAndBadRangesAreRefused() {
        ReconciliationReport report = job.runOnce().orElseThrow();
        assertEquals(today, report.to());
        assertEquals(today.minusDays(2), report.from());
        assertEquals("scheduled", f.text("select trigger from reconciliation_run where id = ?", report.runId()));
        assertEquals(HttpStatus.BAD_REQUEST, Http.exchange(http.toBlocking(),
                Http.admin(HttpRequest.GET("/admin/v1/reconciliation?from=yesterday"))).getStatus());
        assertEquals(HttpStatus.BAD_REQUEST, Http.exchange(http.toBlocking(),
                Http.admin(HttpRequest.GET("/admin/v1/reconciliation?from=2026-01-01&to=2026-12-01"))).getStatus());
        assertEquals(HttpStatus.BAD_REQUEST, Http.exchange(http.toBlocking(),
                Http.admin(HttpRequest.GET("/admin/v1/reconciliation?from=2026-03-02&to=2026-03-01"))).getStatus());
        assertEquals(HttpStatus.UNAUTHORIZED, Http.exchange(http.toBlocking(),
                HttpRequest.GET("/admin/v1/reconciliation")).getStatus());
    }
}
