package dev.tollgate.gateway.cache;

import dev.tollgate.gateway.GatewayCalls;
import dev.tollgate.gateway.GatewayTest;
import dev.tollgate.gateway.GatewayTestSupport;
import dev.tollgate.gateway.route.RouteConfig;
import dev.tollgate.platform.simulator.UpstreamSimulator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exact cache (identical JSON and SSE replays, headers, tenant isolation) and the semantic
 * cache (paraphrases hit, other questions and other system prompts do not), with hits metered at
 * zero cost and the money they saved.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CacheTest extends GatewayTest {

    static final String SIMPLE = "{\"targets\":[{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\"}],\"cache\":{\"mode\":\"simple\",\"ttl_seconds\":60}}";
    static final String SEMANTIC = "{\"targets\":[{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\"}],"
            + "\"cache\":{\"mode\":\"semantic\",\"ttl_seconds\":600}}";
    static final String SEMANTIC_DEFAULT = "{\"targets\":[{\"provider\":\"openai\",\"model\":\"gpt-4.1-mini\"}],"
            + "\"cache\":{\"mode\":\"semantic\"}}";

    @Inject
    JsonMapper json;
    @Inject
    MeterRegistry meters;

    UpstreamSimulator sim;
    GatewayTestSupport.TestKey key;
    GatewayTestSupport.TestKey otherTenant;

    @Override
    public Map<String, String> extraProperties() {
        return GatewayTestSupport.gatewayProperties(
                "test.flat-price-book", "true",
                // the model loads on first use and this machine is shared: correctness here, latency in the benchmark
                "tollgate.cache.semantic-budget", "30s");
    }

    @BeforeAll
    void setUp() throws Exception {
        sim = GatewayTestSupport.simulator();
        key = createKey();
        otherTenant = createKey();
    }

    HttpResponse<String> chat(GatewayTestSupport.TestKey k, String body, String config, String... headers) throws Exception {
        String[] all = new String[headers.length + 2];
        all[0] = "x-tollgate-config";
        all[1] = config;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return calls.chat(k.value(), body, all);
    }

    static String cache(HttpResponse<String> r) {
        return r.headers().firstValue("x-tollgate-cache").orElse(null);
    }

    long served() {
        return sim.served().total("openai").requests();
    }

    @Test
    void exactHitsReplayTheIdenticalJsonBodyAtZeroCost() throws Exception {
        String body = GatewayCalls.chatBody("gpt-4o-mini", "Exact cache, JSON please", false);
        long before = served();
        HttpResponse<String> first = chat(key, body, SIMPLE);
        assertEquals(200, first.statusCode(), first.body());
        assertEquals("miss", cache(first));
        HttpResponse<String> second = chat(key, body, SIMPLE);
        assertEquals("hit", cache(second));
        assertEquals(first.body(), second.body(), "byte for byte");
        assertEquals("openai", second.headers().firstValue("x-tollgate-provider").orElseThrow());
        assertEquals(before + 1, served(), "the hit never reached the upstream");

        Map<String, Object> miss = calls.usageEvent(first.headers().firstValue("x-request-id").orElseThrow());
        Map<String, Object> hit = calls.usageEvent(second.headers().firstValue("x-request-id").orElseThrow());
        assertEquals("miss", miss.get("cache_status"));
        assertEquals("hit", hit.get("cache_status"));
        assertEquals(0, BigDecimal.ZERO.compareTo((BigDecimal) hit.get("cost_usd")));
        assertEquals(0, BigDecimal.ZERO.compareTo((BigDecimal) hit.get("billed_usd")));
        assertTrue(((BigDecimal) miss.get("cost_usd")).signum() > 0);
        assertEquals(0, ((BigDecimal) miss.get("cost_usd")).compareTo((BigDecimal) hit.get("saved_usd")), "saved what the miss cost");
        assertEquals(miss.get("output_tokens"), hit.get("output_tokens"));

        // never across tenants, and any change of what shapes the answer is another entry
        assertEquals("miss", cache(chat(otherTenant, body, SIMPLE)));
        assertEquals("miss", cache(chat(key, body.replace("\"max_tokens\":16", "\"max_tokens\":17"), SIMPLE)));
        assertEquals("miss", cache(chat(key, body.replace("gpt-4o-mini", "gpt-4o"), SIMPLE)), "another requested model");
        // the user field does not change the answer
        assertEquals("hit", cache(chat(key, body.replace("{\"model\"", "{\"user\":\"u-1\",\"model\""), SIMPLE)));
    }

    @Test
    void exactHitsReplayTheIdenticalEventStream() throws Exception {
        String body = GatewayCalls.chatBody("gpt-4o-mini", "Exact cache, stream please", true);
        long before = served();
        HttpResponse<String> first = chat(key, body, SIMPLE);
        assertEquals("miss", cache(first));
        assertTrue(first.body().contains("[DONE]"), first.body());
        HttpResponse<String> second = chat(key, body, SIMPLE);
        assertEquals("hit", cache(second));
        assertTrue(second.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        assertEquals(first.body(), second.body());
        assertEquals(before + 1, served());
        // the same question as JSON is another entry (another wire shape)
        assertEquals("miss", cache(chat(key, body.replace("\"stream\":true,", ""), SIMPLE)));

        String messages = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":16,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Anthropic shape\"}]}";
        HttpResponse<String> a1 = calls.post("/v1/messages", key.value(), messages, "x-tollgate-config", SIMPLE);
        HttpResponse<String> a2 = calls.post("/v1/messages", key.value(), messages, "x-tollgate-config", SIMPLE);
        assertEquals("miss", cache(a1));
        assertEquals("hit", cache(a2));
        assertEquals(a1.body(), a2.body());
        assertTrue(a2.body().contains("event: message_stop"), a2.body());
    }

    @Test
    void clientHeadersBypassRefreshAndSetTheTtl() throws Exception {
        String body = GatewayCalls.chatBody("gpt-4o-mini", "Headers decide", false);
        long before = served();
        assertEquals("bypass", cache(chat(key, body, SIMPLE, "Cache-Control", "no-store")));
        assertEquals("miss", cache(chat(key, body, SIMPLE)), "no-store stored nothing");
        HttpResponse<String> cached = chat(key, body, SIMPLE);
        assertEquals("hit", cache(cached));
        HttpResponse<String> refreshed = chat(key, body, SIMPLE, "Cache-Control", "no-cache");
        assertEquals("miss", cache(refreshed));
        assertNotEquals(cached.body(), refreshed.body(), "a fresh answer (new id)");
        assertEquals(refreshed.body(), chat(key, body, SIMPLE).body(), "the refreshed answer replaced the cached one");
        assertEquals("miss", cache(chat(key, body, SIMPLE, "x-tollgate-cache-refresh", "true")));
        assertEquals(before + 4, served());

        String shortLived = GatewayCalls.chatBody("gpt-4o-mini", "Short lived", false);
        assertEquals("miss", cache(chat(key, shortLived, SIMPLE, "x-tollgate-cache-ttl", "3")));
        assertEquals("hit", cache(chat(key, shortLived, SIMPLE)));
        Thread.sleep(3500);
        assertEquals("miss", cache(chat(key, shortLived, SIMPLE)));

        HttpResponse<String> bad = chat(key, body, SIMPLE, "x-tollgate-cache-ttl", "soon");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("\"param\":\"x-tollgate-cache-ttl\""), bad.body());
        // a route without cache settings answers without the header
        HttpResponse<String> plain = calls.chat(key.value(), body);
        assertEquals(200, plain.statusCode());
        assertEquals(null, cache(plain));
    }

    @Test
    void paraphrasesHitTheSemanticCacheAndOtherQuestionsDoNot() throws Exception {
        long rows = semanticRows();
        double stored = storedAnswers();
        HttpResponse<String> first = chat(key, GatewayCalls.chatBody("gpt-4o-mini", "What is AI?", false), SEMANTIC);
        assertEquals("miss", cache(first));
        awaitStored(stored + 1);
        assertTrue(semanticRows() >= rows + 1, "persisted in PostgreSQL");
        HttpResponse<String> paraphrase = chat(key, GatewayCalls.chatBody("gpt-4o-mini", "Can you explain what AI is?", false), SEMANTIC);
        assertEquals("hit", cache(paraphrase), paraphrase.body());
        double similarity = Double.parseDouble(paraphrase.headers().firstValue("x-tollgate-cache-similarity").orElseThrow());
        assertTrue(similarity >= RouteConfig.DEFAULT_THRESHOLD && similarity < 1, "similarity " + similarity);
        assertEquals(content(first), content(paraphrase), "the cached answer");
        Map<String, Object> hit = calls.usageEvent(paraphrase.headers().firstValue("x-request-id").orElseThrow());
        assertEquals("semantic_hit", hit.get("cache_status"));
        assertTrue(((BigDecimal) hit.get("saved_usd")).signum() > 0);

        assertEquals("miss", cache(chat(key, GatewayCalls.chatBody("gpt-4o-mini", "What is the capital of France?", false), SEMANTIC)));
        String withSystem = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":16,\"messages\":[{\"role\":\"system\",\"content\":\"Answer like a pirate.\"},"
                + "{\"role\":\"user\",\"content\":\"Can you explain what AI is?\"}]}";
        assertEquals("miss", cache(chat(key, withSystem, SEMANTIC)), "another system prompt is another bucket");
        assertEquals("miss", cache(chat(otherTenant, GatewayCalls.chatBody("gpt-4o-mini", "Can you explain what AI is?", false), SEMANTIC)),
                "never across tenants");
        String multiTurn = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"},"
                + "{\"role\":\"assistant\",\"content\":\"Hi!\"},{\"role\":\"user\",\"content\":\"Can you explain what AI is?\"}]}";
        assertEquals("miss", cache(chat(key, multiTurn, SEMANTIC)), "single-turn only by default");

        // a streamed paraphrase is answered from the cache as a stream
        HttpResponse<String> streamed = chat(key, GatewayCalls.chatBody("gpt-4o-mini", "Tell me what AI is.", true), SEMANTIC);
        assertEquals("hit", cache(streamed), streamed.body());
        assertTrue(streamed.body().contains("[DONE]"), streamed.body());
        assertTrue(streamed.body().contains(json.writeValueAsString(content(first))), streamed.body());
    }

    /** Paraphrases that must hit each other at the default threshold. */
    static final List<List<String>> PARAPHRASES = List.of(
            List.of("What is AI?", "Can you explain what AI is?"),
            List.of("What is AI?", "what is ai"),
            List.of("What is AI?", "What's AI?"),
            List.of("How do I reset my password?", "How can I reset my password?"),
            List.of("What is the capital of France?", "What's the capital city of France?"),
            List.of("How do I sort a list in Python?", "How can I sort a list in Python?"),
            List.of("How is the weather today?", "What is the weather like today?"),
            List.of("Explain quantum computing", "Can you explain quantum computing?"),
            List.of("What does HTTP stand for?", "what does  HTTP stand for"),
            List.of("Who wrote Hamlet?", "Who is the author of Hamlet?"),
            List.of("How do I bake bread?", "How do you bake bread?"),
            List.of("What are the benefits of exercise?", "What are the benefits of exercising?"));

    /** Different but related questions that must not hit each other at the default threshold. */
    static final List<List<String>> DIFFERENT = List.of(
            List.of("What is AI?", "What is ML?"),
            List.of("What is AI?", "What is an API?"),
            List.of("How do I bake bread?", "How do I bake a cake?"),
            List.of("What is the capital of France?", "What is the capital of Germany?"),
            List.of("How do I sort a list in Python?", "How do I sort a list in Java?"),
            List.of("What is the weather in Paris?", "What is the weather in London?"),
            List.of("How do I reset my password?", "How do I change my username?"),
            List.of("What is the boiling point of water?", "What is the freezing point of water?"),
            List.of("Who wrote Hamlet?", "Who wrote Macbeth?"),
            List.of("How tall is Mount Everest?", "How old is Mount Everest?"),
            List.of("What is the population of Canada?", "What is the area of Canada?"),
            List.of("How do I install Docker on Ubuntu?", "How do I uninstall Docker on Ubuntu?"),
            List.of("How do I learn Spanish?", "How do I learn French?"),
            List.of("What are the symptoms of flu?", "What are the symptoms of a cold?"),
            List.of("What is the speed of light?", "What is the speed of sound?"),
            List.of("Explain quantum computing", "Explain cloud computing"),
            List.of("Write a poem about the sea", "Write a poem about the mountains"),
            List.of("What is 2+2?", "What is 3+3?"),
            List.of("How do I cook rice?", "How do I cook pasta?"));

    /**
     * At the default threshold (the route names none), every paraphrase pair hits and no pair of
     * different questions does. Each pair has a bucket of its own (a system prompt naming it), so
     * the second question is compared with its first only.
     */
    @Test
    void theDefaultThresholdSeparatesParaphrasesFromRelatedQuestions() throws Exception {
        List<List<String>> pairs = new ArrayList<>(PARAPHRASES);
        pairs.addAll(DIFFERENT);
        long rows = semanticRows();
        double stored = storedAnswers();
        double embedded = embeddings();
        for (int i = 0; i < pairs.size(); i++) {
            assertEquals("miss", cache(chat(key, pairBody(i, pairs.get(i).get(0)), SEMANTIC_DEFAULT)));
        }
        awaitStored(stored + pairs.size());
        assertTrue(semanticRows() >= rows + pairs.size(), "persisted in PostgreSQL");
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            HttpResponse<String> second = chat(key, pairBody(i, pairs.get(i).get(1)), SEMANTIC_DEFAULT);
            assertEquals(200, second.statusCode(), second.body());
            String expected = i < PARAPHRASES.size() ? "hit" : "miss";
            if (!expected.equals(cache(second))) {
                wrong.add(pairs.get(i) + " " + cache(second) + " at " + second.headers().firstValue("x-tollgate-cache-similarity").orElse("?"));
            }
            if (pairs.get(i).get(0).equals("What does HTTP stand for?")) {
                assertEquals("1.0000", second.headers().firstValue("x-tollgate-cache-similarity").orElse(null),
                        "case, spacing and the question mark are normalised away");
            }
        }
        assertEquals(List.of(), wrong, "threshold " + RouteConfig.DEFAULT_THRESHOLD);
        assertEquals(2.0 * pairs.size(), embeddings() - embedded, "one embedding per question, shared by its lookup and its store");
    }

    double embeddings() {
        return meters.counter("tollgate.cache.semantic.embeddings").count();
    }

    static String pairBody(int pair, String question) {
        return "{\"model\":\"gpt-4.1-mini\",\"max_tokens\":16,\"messages\":[{\"role\":\"system\",\"content\":\"Case " + pair
                + ".\"},{\"role\":\"user\",\"content\":" + GatewayCalls.quote(question) + "}]}";
    }

    long semanticRows() throws Exception {
        return ((Number) calls.rows("select count(*) as n from semantic_cache_entry").get(0).get("n")).longValue();
    }

    double storedAnswers() {
        return meters.counter("tollgate.cache.semantic.stored").count();
    }

    /**
     * Answers enter the semantic cache asynchronously: written to PostgreSQL, then merged into the
     * replica's in-memory bucket; a row alone is not yet searchable here.
     */
    void awaitStored(double expected) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (storedAnswers() < expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(storedAnswers() >= expected, "answers stored in the semantic cache");
    }

    String content(HttpResponse<String> r) throws Exception {
        Map<String, Object> body = json.readValue(r.body(), Argument.mapOf(String.class, Object.class));
        return (String) ((Map<?, ?>) ((Map<?, ?>) ((List<?>) body.get("choices")).get(0)).get("message")).get("content");
    }
}
