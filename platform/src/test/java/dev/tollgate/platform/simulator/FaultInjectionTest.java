package dev.tollgate.platform.simulator;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.tollgate.platform.simulator.SimClient.at;
import static dev.tollgate.platform.simulator.SimClient.json;
import static dev.tollgate.platform.simulator.SimClient.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaultInjectionTest extends SimulatorTestBase {

    private static final String[] OPENAI_AUTH = {"Authorization", "Bearer sk-test"};
    private static final String[] ANTHROPIC_AUTH = {"x-api-key", "k", "anthropic-version", "2023-06-01"};
    private static final String[] GEMINI_AUTH = {"x-goog-api-key", "k"};
    private static final String CHAT = "/openai/v1/chat/completions";


    private static Map<String, Object> chat(String model, Object... extra) {
        Map<String, Object> body = Json.obj("model", model,
            "messages", List.of(Json.obj("role", "user", "content", "Tell me something long and useful")));
        for (int i = 0; i < extra.length; i += 2) {
            body.put((String) extra[i], extra[i + 1]);
        }
        return body;
    }

    @Test
    void countedErrorsAreConsumedAndCarryRetryAfter() {
        HttpResponse<String> added = client.post("/faults", Json.obj("provider", "openai", "status", 429, "count", 2,
            "retry_after_seconds", 7));
        assertEquals(201, added.statusCode(), added.body());
        assertEquals(2, number(json(added), "remaining"));

        for (int i = 0; i < 2; i++) {
            HttpResponse<String> limited = client.post(CHAT, chat("gpt-4o"), OPENAI_AUTH);
            assertEquals(429, limited.statusCode());
            assertEquals("7", limited.headers().firstValue("Retry-After").orElseThrow());
            assertEquals("rate_limit_exceeded", at(json(limited), "error", "code"));
            assertEquals("requests", at(json(limited), "error", "type"));
        }
        assertEquals(200, client.post(CHAT, chat("gpt-4o"), OPENAI_AUTH).statusCode());
        assertEquals(List.of(), at(json(client.get("/faults")), "faults"));
        ServedStats served = simulator.served().stats("openai", "gpt-4o");
        assertEquals(3, served.requests());
        assertEquals(2, served.errors());
    }

    @Test
    void faultsTargetProviderAndModel() {
        simulator.addFault(Fault.error("anthropic", 529).forModel("claude-opus-4-1"));
        HttpResponse<String> overloaded = client.post("/anthropic/v1/messages", Json.obj("model", "claude-opus-4-1",
            "max_tokens", 10, "messages", List.of(Json.obj("role", "user", "content", "hi"))), ANTHROPIC_AUTH);
        assertEquals(529, overloaded.statusCode());
        AnthropicSimulatorTest.assertAnthropicError(json(overloaded), "overloaded_error");
        assertEquals(200, client.post("/anthropic/v1/messages", Json.obj("model", "claude-haiku-4-5",
            "max_tokens", 10, "messages", List.of(Json.obj("role", "user", "content", "hi"))), ANTHROPIC_AUTH).statusCode());
        assertEquals(200, client.post(CHAT, chat("claude-opus-4-1"), OPENAI_AUTH).statusCode());

        simulator.addFault(Fault.error("gemini", 503));
        HttpResponse<String> unavailable = client.post("/gemini/v1beta/models/gemini-2.0-flash:generateContent",
            Json.obj("contents", List.of(Json.obj("parts", List.of(Json.obj("text", "hi"))))), GEMINI_AUTH);
        assertEquals(503, unavailable.statusCode());
        assertEquals("UNAVAILABLE", at(json(unavailable), "error", "status"));
        assertEquals(503, number(json(unavailable), "error", "code"));
    }

    @Test
    void rateFaultsFireWithTheirProbability() {
        simulator.addFault(Fault.error("openai", 500).withRate(1.0).forModel("always"));
        simulator.addFault(Fault.error("openai", 500).withRate(0.0).forModel("never"));
        simulator.addFault(Fault.error("openai", 500).withRate(0.5).forModel("half"));
        int half = 0;
        for (int i = 0; i < 200; i++) {
            if (client.post(CHAT, chat("half"), OPENAI_AUTH).statusCode() == 500) {
                half++;
            }
        }
        for (int i = 0; i < 20; i++) {
            assertEquals(500, client.post(CHAT, chat("always"), OPENAI_AUTH).statusCode());
            assertEquals(200, client.post(CHAT, chat("never"), OPENAI_AUTH).statusCode());
        }
        assertTrue(half > 60 && half < 140, "about half failed: " + half);
        assertEquals(half, simulator.served().stats("openai", "half").errors());
        assertEquals(3, simulator.faults().size(), "rate faults are not consumed");
    }

    @Test
    void timeoutHoldsTheRequestThenClosesWithoutAnswer() {
        client.post("/faults", Json.obj("provider", "openai", "mode", "timeout", "latency_ms", 400, "count", 1));
        long started = System.nanoTime();
        UncheckedIOException failure = assertThrows(UncheckedIOException.class,
            () -> client.post(CHAT, chat("gpt-4o"), OPENAI_AUTH));
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(elapsedMs >= 380, "held for " + elapsedMs + " ms");
        assertNotNull(failure.getCause());
        assertEquals(1, simulator.served().stats("openai", "gpt-4o").errors());
        assertEquals(200, client.post(CHAT, chat("gpt-4o"), OPENAI_AUTH).statusCode());
    }

    @Test
    void dropMidStreamCountsOnlyWhatWasSent() {
        simulator.addFault(Fault.of("openai", FaultMode.DROP_MID_STREAM).times(1));
        SimClient.Sse sse = client.stream(CHAT, chat("gpt-4o", "stream", true,
            "stream_options", Json.obj("include_usage", true)), OPENAI_AUTH);
        assertEquals(200, sse.status);
        assertNotNull(sse.failure, "the stream breaks");
        StringBuilder received = new StringBuilder();
        for (SimClient.Event event : sse.events) {
            assertTrue(!event.data().equals("[DONE]"));
            String piece = at(event.json(), "choices", 0, "delta", "content");
            received.append(piece == null ? "" : piece);
        }
        assertTrue(received.length() > 0, "a few chunks arrived");
        Map<String, Object> full = json(client.post(CHAT, chat("gpt-4o"), OPENAI_AUTH));
        String complete = at(full, "choices", 0, "message", "content");
        assertTrue(complete.startsWith(received.toString()) && complete.length() > received.length());

        ServedStats served = simulator.served().stats("openai", "gpt-4o");
        assertEquals(2, served.requests());
        assertEquals(1, served.errors());
        assertEquals(1, served.streamedRequests());
        assertEquals(Tokenizer.count("gpt-4o", received.toString()) + number(full, "usage", "completion_tokens"),
            served.outputTokens());
        assertEquals(2 * number(full, "usage", "prompt_tokens"), served.inputTokens());
    }

    @Test
    void dropMidStreamForAnthropicAndGemini() {
        simulator.addFault(Fault.of("anthropic", FaultMode.DROP_MID_STREAM));
        SimClient.Sse anthropic = client.stream("/anthropic/v1/messages", Json.obj("model", "claude-sonnet-4-5",
            "max_tokens", 500, "stream", true, "messages", List.of(Json.obj("role", "user", "content", "Talk"))),
            ANTHROPIC_AUTH);
        assertNotNull(anthropic.failure);
        StringBuilder text = new StringBuilder();
        for (SimClient.Event event : anthropic.events) {
            assertTrue(!event.name().equals("message_stop"));
            if (event.name().equals("content_block_delta")) {
                text.append((String) at(event.json(), "delta", "text"));
            }
        }
        assertEquals(Tokenizer.count("claude-sonnet-4-5", text.toString()),
            simulator.served().stats("anthropic", "claude-sonnet-4-5").outputTokens());

        simulator.addFault(Fault.of("gemini", FaultMode.DROP_MID_STREAM));
        SimClient.Sse gemini = client.stream("/gemini/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse",
            Json.obj("contents", List.of(Json.obj("parts", List.of(Json.obj("text", "Talk"))))), GEMINI_AUTH);
        assertNotNull(gemini.failure);
        assertTrue(gemini.events.size() >= 1);
        Map<String, Object> lastSeen = gemini.events.get(gemini.events.size() - 1).json();
        assertEquals(number(lastSeen, "usageMetadata", "candidatesTokenCount"),
            simulator.served().stats("gemini", "gemini-2.0-flash").outputTokens());
    }

    @Test
    void dropOnANonStreamedAnswerCutsTheBody() {
        simulator.addFault(Fault.of("openai", FaultMode.DROP_MID_STREAM).times(1));
        assertThrows(UncheckedIOException.class, () -> client.post(CHAT, chat("gpt-4o"), OPENAI_AUTH));
        assertEquals(0, simulator.served().stats("openai", "gpt-4o").outputTokens());
    }

    @Test
    void malformedAnswersAreNotJson() {
        simulator.addFault(Fault.of("openai", FaultMode.MALFORMED).times(2));
        HttpResponse<String> body = client.post(CHAT, chat("gpt-4o"), OPENAI_AUTH);
        assertEquals(200, body.statusCode());
        assertThrows(Json.Malformed.class, () -> json(body));

        SimClient.Sse sse = client.stream(CHAT, chat("gpt-4o", "stream", true), OPENAI_AUTH);
        assertEquals(200, sse.status);
        assertTrue(sse.events.stream().filter(e -> !e.data().equals("[DONE]")).anyMatch(e -> {
            try {
                e.json();
                return false;
            } catch (Json.Malformed malformed) {
                return true;
            }
        }));
        assertEquals(2, simulator.served().stats("openai", "gpt-4o").errors());
        assertEquals(0, simulator.served().stats("openai", "gpt-4o").outputTokens());

        simulator.addFault(Fault.of("anthropic", FaultMode.MALFORMED).times(1));
        HttpResponse<String> anthropic = client.post("/anthropic/v1/messages", Json.obj("model", "claude-haiku-4-5",
            "max_tokens", 10, "messages", List.of(Json.obj("role", "user", "content", "hi"))), ANTHROPIC_AUTH);
        assertThrows(Json.Malformed.class, () -> json(anthropic));
    }

    @Test
    void errorFaultLatencyDelaysTheAnswer() {
        simulator.addFault(Fault.error("openai", 500).withLatencyMs(300).times(1));
        long started = System.nanoTime();
        HttpResponse<String> response = client.post(CHAT, chat("gpt-4o"), OPENAI_AUTH);
        assertEquals(500, response.statusCode());
        assertEquals("server_error", at(json(response), "error", "type"));
        assertTrue((System.nanoTime() - started) / 1_000_000 >= 290);
    }

    @Test
    void faultApiValidatesAndLists() {
        assertEquals(400, client.post("/faults", Json.obj("provider", "nobody", "status", 500)).statusCode());
        assertEquals(400, client.post("/faults", Json.obj("status", 200)).statusCode());
        assertEquals(400, client.post("/faults", Json.obj("status", 500, "count", 1, "rate", 0.5)).statusCode());
        assertEquals(400, client.post("/faults", Json.obj("status", 500, "rate", 1.5)).statusCode());
        HttpResponse<String> badMode = client.post("/faults", Json.obj("mode", "explode"));
        assertEquals(400, badMode.statusCode());
        assertEquals("mode", at(json(badMode), "error", "param"));
        assertEquals(400, client.post("/faults", "nope").statusCode());

        client.post("/faults", Json.obj("provider", "gemini", "mode", "timeout"));
        client.post("/faults", Json.obj("status", 502, "rate", 0.25));
        List<Map<String, Object>> listed = at(json(client.get("/faults")), "faults");
        assertEquals(2, listed.size());
        assertEquals("timeout", listed.get(0).get("mode"));
        assertEquals(0.25, ((Number) listed.get(1).get("rate")).doubleValue());
        assertEquals(200, client.delete("/faults").statusCode());
        assertTrue(simulator.faults().isEmpty());
    }

    @Test
    void configChangesLatency() throws IOException, InterruptedException {
        HttpResponse<String> set = client.post("/config", Json.obj("latency_ms", 250, "chunk_delay_ms", 5));
        assertEquals(200, set.statusCode());
        assertEquals(250, number(json(set), "latency_ms"));
        assertEquals(0, number(json(set), "jitter_ms"));
        try {
            long started = System.nanoTime();
            assertEquals(200, client.post(CHAT, chat("gpt-4o"), OPENAI_AUTH).statusCode());
            assertTrue((System.nanoTime() - started) / 1_000_000 >= 240);
            assertEquals(5, number(json(client.get("/config")), "chunk_delay_ms"));
            assertEquals(400, client.post("/config", Json.obj("latency_ms", -1)).statusCode());
        } finally {
            simulator.timing(new Timing(0, 0, 0));
        }
        HttpResponse<String> served = client.send(HttpRequest.newBuilder(
            java.net.URI.create(client.baseUrl + "/served")).timeout(Duration.ofSeconds(5)).build());
        assertEquals(1, number(json(served), "providers", "openai", "gpt-4o", "requests"));
        assertEquals(200, client.delete("/served").statusCode());
        assertEquals(ServedStats.ZERO, simulator.served().stats("openai", "gpt-4o"));
    }
}
