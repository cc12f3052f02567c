package dev.tollgate.gateway.route;

import dev.tollgate.gateway.GatewayCalls;
import dev.tollgate.gateway.GatewayTest;
import dev.tollgate.gateway.GatewayTestSupport;
import dev.tollgate.platform.simulator.Fault;
import dev.tollgate.platform.simulator.FaultMode;
import dev.tollgate.platform.simulator.UpstreamSimulator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Routing against the simulators' fault injection: fallback to the next target on 429, 500,
 * timeouts, connections dropped before the first byte and malformed answers (JSON and streams);
 * retries with Retry-After; no fallback once a stream reached the client; the circuit opening
 * and closing; load balancing by weight; attempts recorded on the usage event.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoutingTest extends GatewayTest {

    static final String FALLBACK = """
            {"strategy":{"mode":"fallback"},
             "targets":[{"provider":"openai","model":"%s","timeout_ms":%d},
                        {"provider":"anthropic","model":"claude-3-5-haiku-latest"}]}""";

    @Inject
    MeterRegistry meters;

    UpstreamSimulator sim;
    GatewayTestSupport.TestKey key;

    @Override
    public Map<String, String> extraProperties() {
        return GatewayTestSupport.gatewayProperties(
                "tollgate.routing.breaker-failures", "3",
                "tollgate.routing.breaker-cooldown", "1s",
                "tollgate.routing.retry-base-delay", "20ms");
    }

    @BeforeAll
    void setUp() throws Exception {
        sim = GatewayTestSupport.simulator();
        key = createKey();
    }

    @AfterEach
    void clearFaults() {
        sim.clearFaults();
    }

    static final JsonMapper JSON = JsonMapper.createDefault();

    static String config(String template, Object... args) {
        return template.formatted(args).replace("\n", " ");
    }

    HttpResponse<String> chat(String model, boolean stream, String config) throws Exception {
        return calls.chat(key.value(), GatewayCalls.chatBody(model, "Say something", stream), "x-tollgate-config", config.replace("\n", " "));
    }

    @Test
    void everyRequestSucceedsThroughTheNextTargetWhenTheFirstFails() throws Exception {
        List<Fault> faults = List.of(Fault.error("openai", 429), Fault.error("openai", 500), Fault.error("openai", 503),
                Fault.of("openai", FaultMode.TIMEOUT).withLatencyMs(3000),   // held past the target's 800 ms timeout
                Fault.of("openai", FaultMode.TIMEOUT).withLatencyMs(20),     // connection closed before the first byte
                Fault.of("openai", FaultMode.MALFORMED));
        for (int f = 0; f < faults.size(); f++) {
            Fault fault = faults.get(f);
            sim.clearFaults();
            sim.addFault(fault);
            for (boolean stream : new boolean[]{false, true}) {
                // a model of its own per case, so that each starts with a closed circuit (it opens at the third failure)
                String model = "gpt-fault-" + f + (stream ? "-sse" : "-json");
                for (int i = 0; i < 2; i++) {
                    HttpResponse<String> r = chat(model, stream, config(FALLBACK, model, 800));
                    String what = fault.mode() + "/" + fault.status() + (stream ? " stream" : " json");
                    assertEquals(200, r.statusCode(), what + ": " + r.body());
                    assertEquals("anthropic", r.headers().firstValue("x-tollgate-provider").orElseThrow(), what);
                    if (stream) {
                        assertTrue(r.body().contains("[DONE]") && r.body().contains("\"content\""), what + ": " + r.body());
                        assertFalse(r.body().contains("\"error\""), what + ": " + r.body());
                    } else {
                        assertTrue(r.body().contains("\"chat.completion\""), what + ": " + r.body());
                    }
                    List<Map<String, Object>> attempts = attempts(r);
                    assertEquals(2, attempts.size(), what + ": " + attempts);
                    // only the held request is a timeout; the closed connection is an unavailable upstream
                    assertEquals(f == 3 ? "timeout" : "error", attempts.get(0).get("outcome"), what + ": " + attempts);
                    assertEquals("ok", attempts.get(1).get("outcome"));
                }
            }
        }
        sim.clearFaults();
        sim.addFault(Fault.error("openai", 429));
        HttpResponse<String> r = chat("gpt-attempts", false, config(FALLBACK, "gpt-attempts", 800));
        Map<String, Object> event = calls.usageEvent(r.headers().firstValue("x-request-id").orElseThrow());
        List<Map<String, Object>> attempts = attempts(r);
        assertEquals("openai/gpt-attempts", attempts.get(0).get("target"));
        assertEquals("error", attempts.get(0).get("outcome"));
        assertEquals(429, ((Number) attempts.get(0).get("status")).intValue());
        assertEquals("rate_limited", attempts.get(0).get("error"));
        assertTrue(attempts.get(0).get("latency_ms") instanceof Number);
        assertEquals(Map.of("target", "anthropic/claude-3-5-haiku-latest", "outcome", "ok", "status", 200),
                Map.of("target", attempts.get(1).get("target"), "outcome", attempts.get(1).get("outcome"),
                        "status", ((Number) attempts.get(1).get("status")).intValue()));
        assertEquals("anthropic", event.get("provider"));
        assertEquals("claude-3-5-haiku-latest", event.get("model_served"));
        assertEquals(200, event.get("status"));
        assertEquals(1.0, meters.get("tollgate.route.fallbacks").tag("target", "openai/gpt-attempts").counter().count());
    }

    List<Map<String, Object>> attempts(HttpResponse<String> r) throws Exception {
        String json = (String) calls.usageEvent(r.headers().firstValue("x-request-id").orElseThrow()).get("attempts");
        return JSON.readValue(json, Argument.listOf(Argument.mapOf(String.class, Object.class)));
    }

    @Test
    void embeddingsAreRoutedLikeChat() throws Exception {
        String embedding = "{\"model\":\"text-embedding-3-small\",\"input\":\"hello there\"}";
        String fallback = """
                {"targets":[{"provider":"openai","model":"text-embedding-3-small"},
                            {"provider":"azure","model":"text-embedding-3-large"}]}""";
        sim.addFault(Fault.error("openai", 500).forModel("text-embedding-3-small"));
        HttpResponse<String> plain = calls.post("/v1/embeddings", key.value(), embedding);
        assertTrue(plain.statusCode() >= 500, "the plain model route has nowhere else to go: " + plain.body());

        HttpResponse<String> r = calls.post("/v1/embeddings", key.value(), embedding, "x-tollgate-config", config(fallback));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("azure", r.headers().firstValue("x-tollgate-provider").orElseThrow());
        assertTrue(r.body().contains("\"embedding\""), r.body());
        List<Map<String, Object>> attempts = attempts(r);
        assertEquals(List.of("openai/text-embedding-3-small", "azure/text-embedding-3-large"),
                attempts.stream().map(a -> a.get("target")).toList(), attempts.toString());
        assertEquals(500, attempts.get(0).get("status"));
        assertEquals("azure", calls.usageEvent(r.headers().firstValue("x-request-id").orElseThrow()).get("provider"));

        // retries on the same target, with backoff
        sim.clearFaults();
        sim.addFault(Fault.error("openai", 503).forModel("text-embedding-3-small").times(1));
        r = calls.post("/v1/embeddings", key.value(), embedding, "x-tollgate-config",
                "{\"retry\":{\"attempts\":1},\"targets\":[{\"provider\":\"openai\"}]}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(List.of("error", "ok"), attempts(r).stream().map(a -> a.get("outcome")).toList());

        // the circuit of a failing embedding target opens (at the third failure) and is then skipped
        sim.clearFaults();
        sim.addFault(Fault.error("openai", 500).forModel("text-embedding-ada-002"));
        String breaking = "{\"targets\":[{\"provider\":\"openai\",\"model\":\"text-embedding-ada-002\"},"
                + "{\"provider\":\"azure\",\"model\":\"text-embedding-3-large\"}]}";
        for (int i = 0; i < 3; i++) {
            assertEquals(200, calls.post("/v1/embeddings", key.value(), embedding, "x-tollgate-config", breaking).statusCode());
        }
        r = calls.post("/v1/embeddings", key.value(), embedding, "x-tollgate-config", breaking);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("circuit_open", attempts(r).get(0).get("outcome"), attempts(r).toString());

        // targets that cannot embed are skipped; a route with none is refused
        r = calls.post("/v1/embeddings", key.value(), embedding, "x-tollgate-config",
                "{\"targets\":[{\"provider\":\"anthropic\",\"model\":\"claude-3-5-haiku-latest\"}]}");
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("no target of this route computes embeddings"), r.body());
    }

    @Test
    void retriesTheSameTargetWithBackoffAndHonoursRetryAfter() throws Exception {
        String config = """
                {"retry":{"attempts":3,"on_status_codes":[429,503]},
                 "targets":[{"provider":"openai","model":"gpt-4.1-nano"},{"provider":"anthropic","model":"claude-3-5-haiku-latest"}]}""";
        sim.addFault(Fault.error("openai", 503).forModel("gpt-4.1-nano").times(2));
        HttpResponse<String> r = chat("gpt-4.1-nano", false, config);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("openai", r.headers().firstValue("x-tollgate-provider").orElseThrow(), "served by the first target after two retries");
        List<Map<String, Object>> attempts = attempts(r);
        assertEquals(List.of("error", "error", "ok"), attempts.stream().map(a -> a.get("outcome")).toList(), attempts.toString());

        sim.addFault(Fault.error("openai", 429).forModel("gpt-4.1-nano").withRetryAfterSeconds(1).times(1));
        long start = System.nanoTime();
        r = chat("gpt-4.1-nano", false, config);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("openai", r.headers().firstValue("x-tollgate-provider").orElseThrow());
        assertTrue(tookMs >= 1000, "waited for Retry-After: " + tookMs + " ms");
        assertTrue(meters.get("tollgate.route.retries").tag("target", "openai/gpt-4.1-nano").counter().count() >= 3);

        // a 400 from the upstream is the request's fault: neither retried nor fallen back from
        sim.addFault(Fault.error("openai", 400).forModel("gpt-4.1-nano").times(1));
        r = chat("gpt-4.1-nano", false, config);
        assertEquals(400, r.statusCode(), r.body());
    }

    @Test
    void aStreamThatAlreadyReachedTheClientEndsWithAnErrorEventAndIsMetered() throws Exception {
        sim.addFault(Fault.of("openai", FaultMode.DROP_MID_STREAM).forModel("gpt-4.1-mini"));
        HttpResponse<String> r = calls.chat(key.value(), GatewayCalls.chatBody("gpt-4.1-mini", "Tell me a long story", true)
                        .replace("\"max_tokens\":16", "\"max_tokens\":200"),
                "x-tollgate-config", config(FALLBACK, "gpt-4.1-mini", 5000));
        assertEquals(200, r.statusCode());
        assertEquals("openai", r.headers().firstValue("x-tollgate-provider").orElseThrow(), "no fallback after the first byte");
        assertTrue(r.body().contains("\"content\""), r.body());
        assertTrue(r.body().contains("\"error\""), "ends with an error event: " + r.body());
        Map<String, Object> event = calls.usageEvent(r.headers().firstValue("x-request-id").orElseThrow());
        assertTrue((Integer) event.get("status") >= 502, "an upstream failure status: " + event);
        assertTrue(((Number) event.get("output_tokens")).longValue() > 0, "what was generated is metered: " + event);
    }

    @Test
    void theCircuitOpensAfterRepeatedFailuresAndClosesAfterASuccessfulProbe() throws Exception {
        String config = config(FALLBACK, "gpt-4o", 5000);
        String target = "openai/gpt-4o";
        sim.addFault(Fault.error("openai", 500).forModel("gpt-4o"));
        long servedBefore = sim.served().stats("openai", "gpt-4o").requests();
        for (int i = 0; i < 3; i++) {
            assertEquals("anthropic", chat("gpt-4o", false, config).headers().firstValue("x-tollgate-provider").orElseThrow());
        }
        assertEquals(1.0, meters.get("tollgate.route.circuit.opened").tag("target", target).counter().count());
        assertEquals(1.0, meters.get("tollgate.route.circuit.open").tag("target", target).gauge().value());
        long failedCalls = sim.served().stats("openai", "gpt-4o").requests() - servedBefore;
        HttpResponse<String> r = chat("gpt-4o", false, config);
        assertEquals("anthropic", r.headers().firstValue("x-tollgate-provider").orElseThrow());
        List<Map<String, Object>> attempts = attempts(r);
        assertEquals("openai/gpt-4o", attempts.get(0).get("target"));
        assertEquals("circuit_open", attempts.get(0).get("outcome"));
        assertEquals(failedCalls, sim.served().stats("openai", "gpt-4o").requests() - servedBefore, "an open circuit sends nothing");
        assertTrue(meters.get("tollgate.route.circuit.rejected").tag("target", target).counter().count() >= 1);

        sim.clearFaults();
        Thread.sleep(1200);
        r = chat("gpt-4o", false, config);
        assertEquals("openai", r.headers().firstValue("x-tollgate-provider").orElseThrow(), "the half-open probe succeeds");
        assertEquals(0.0, meters.get("tollgate.route.circuit.open").tag("target", target).gauge().value());
        for (int i = 0; i < 3; i++) {
            assertEquals("openai", chat("gpt-4o", false, config).headers().firstValue("x-tollgate-provider").orElseThrow());
        }
    }

    @Test
    void aRouteWhoseCircuitsAreAllOpenAnswers503() throws Exception {
        String config = """
                {"targets":[{"provider":"gemini","model":"gemini-2.0-flash"}]}""";
        sim.addFault(Fault.error("gemini", 500).forModel("gemini-2.0-flash"));
        for (int i = 0; i < 3; i++) {
            assertEquals(502, chat("gemini-2.0-flash", false, config).statusCode());
        }
        HttpResponse<String> r = chat("gemini-2.0-flash", false, config);
        assertEquals(503, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"circuit_open\""), r.body());
    }

    @Test
    void loadBalancingFollowsTheWeightsOverAThousandRequests() throws Exception {
        String config = """
                {"strategy":{"mode":"loadbalance"},
                 "targets":[{"provider":"openai","model":"gpt-4o-mini","weight":3},
                            {"provider":"anthropic","model":"claude-3-5-haiku-latest","weight":1}]}""".replace("\n", " ");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            results.add(pool.submit(() -> {
                HttpResponse<String> r = chat("gpt-4o-mini", false, config);
                assertEquals(200, r.statusCode(), r.body());
                return r.headers().firstValue("x-tollgate-provider").orElseThrow();
            }));
        }
        int openai = 0;
        for (Future<String> f : results) {
            if (f.get().equals("openai")) {
                openai++;
            }
        }
        pool.shutdown();
        assertEquals(0.75, openai / 1000.0, 0.04, "openai served " + openai + " of 1000");
    }

    @Test
    void invalidHeaderConfigsAre400WithThePath() throws Exception {
        HttpResponse<String> r = chat("gpt-4o-mini", false, """
                {"targets":[{"provider":"openai"},{"provider":"anthropic","weight":-1}]}""");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("\"param\":\"targets[1].weight\"") && r.body().contains("invalid_route_config"), r.body());
        r = chat("gpt-4o-mini", false, "{not json");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("\"param\":\"x-tollgate-config\""), r.body());
        // a route cannot widen a key's scopes
        GatewayTestSupport.TestKey scoped = createKey("{}", "{}", "{}", "{\"models\":[\"gpt-4o-mini\"]}");
        r = calls.chat(scoped.value(), GatewayCalls.chatBody("gpt-4o-mini", "hi", false), "x-tollgate-config",
                "{\"targets\":[{\"provider\":\"openai\",\"model\":\"gpt-4o\"}]}");
        assertEquals(403, r.statusCode(), r.body());
    }
}
