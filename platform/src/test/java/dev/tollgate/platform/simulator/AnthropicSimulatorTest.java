package dev.tollgate.platform.simulator;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static dev.tollgate.platform.simulator.SimClient.at;
import static dev.tollgate.platform.simulator.SimClient.json;
import static dev.tollgate.platform.simulator.SimClient.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnthropicSimulatorTest extends SimulatorTestBase {

    private static final String[] HEADERS = {"x-api-key", "sk-ant-test", "anthropic-version", "2023-06-01"};
    private static final String MESSAGES = "/anthropic/v1/messages";
    private static final String MODEL = "claude-sonnet-4-5";


    private static Map<String, Object> request(String text, Object... extra) {
        Map<String, Object> body = Json.obj("model", MODEL, "max_tokens", 1024,
            "messages", List.of(Json.obj("role", "user", "content", text)));
        for (int i = 0; i < extra.length; i += 2) {
            body.put((String) extra[i], extra[i + 1]);
        }
        return body;
    }

    @Test
    void messageJsonHasAnthropicsShapeAndUsage() {
        HttpResponse<String> response = client.post(MESSAGES, request("Hello Claude", "system", "Be brief."), HEADERS);
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("request-id").orElse("").startsWith("req_"));
        Map<String, Object> body = json(response);
        assertEquals("message", body.get("type"));
        assertEquals("assistant", body.get("role"));
        assertEquals(MODEL, body.get("model"));
        assertEquals("text", at(body, "content", 0, "type"));
        String text = at(body, "content", 0, "text");
        assertEquals("end_turn", body.get("stop_reason"));
        assertNull(body.get("stop_sequence"));
        assertEquals(Tokenizer.count(MODEL, text), number(body, "usage", "output_tokens"));
        assertTrue(number(body, "usage", "input_tokens") > 0);
        assertEquals(0, number(body, "usage", "cache_read_input_tokens"));
        assertEquals(0, number(body, "usage", "cache_creation_input_tokens"));
        assertEquals(text, at(json(client.post(MESSAGES, request("Hello Claude", "system", "Be brief."), HEADERS)),
            "content", 0, "text"));

        ServedStats served = simulator.served().stats("anthropic", MODEL);
        assertEquals(2, served.requests());
        assertEquals(2 * number(body, "usage", "input_tokens"), served.inputTokens());
        assertEquals(2 * number(body, "usage", "output_tokens"), served.outputTokens());
    }

    @Test
    void streamSendsTheFullEventSequence() {
        String expected = at(json(client.post(MESSAGES, request("Stream please"), HEADERS)), "content", 0, "text");
        simulator.resetServed();
        SimClient.Sse sse = client.stream(MESSAGES, request("Stream please", "stream", true), HEADERS);
        assertNull(sse.failure);
        List<String> names = sse.events.stream().map(SimClient.Event::name).toList();
        assertEquals("message_start", names.get(0));
        assertEquals("content_block_start", names.get(1));
        assertEquals(List.of("content_block_stop", "message_delta", "message_stop"),
            names.subList(names.size() - 3, names.size()));
        StringBuilder text = new StringBuilder();
        long input = 0;
        long output = 0;
        for (SimClient.Event event : sse.events) {
            Map<String, Object> data = event.json();
            assertEquals(event.name(), data.get("type"));
            switch (event.name()) {
                case "message_start" -> input = number(data, "message", "usage", "input_tokens");
                case "content_block_delta" -> {
                    assertEquals("text_delta", at(data, "delta", "type"));
                    text.append((String) at(data, "delta", "text"));
                }
                case "message_delta" -> {
                    assertEquals("end_turn", at(data, "delta", "stop_reason"));
                    output = number(data, "usage", "output_tokens");
                }
                default -> { }
            }
        }
        assertEquals(expected, text.toString());
        assertEquals(Tokenizer.count(MODEL, expected), output);
        ServedStats served = simulator.served().stats("anthropic", MODEL);
        assertEquals(1, served.streamedRequests());
        assertEquals(input, served.inputTokens());
        assertEquals(output, served.outputTokens());
    }

    @Test
    void cacheControlWritesOnceThenReads() {
        String longSystem = "You are the billing assistant of Tollgate. ".repeat(100);
        Map<String, Object> body = Json.obj("model", MODEL, "max_tokens", 256,
            "system", List.of(Json.obj("type", "text", "text", longSystem, "cache_control", Json.obj("type", "ephemeral"))),
            "messages", List.of(Json.obj("role", "user", "content", "First question")));
        Map<String, Object> first = json(client.post(MESSAGES, body, HEADERS));
        long written = number(first, "usage", "cache_creation_input_tokens");
        assertTrue(written > 500, "the system prompt is written to the cache");
        assertEquals(written, number(first, "usage", "cache_creation", "ephemeral_5m_input_tokens"));
        assertEquals(0, number(first, "usage", "cache_read_input_tokens"));

        body.put("messages", List.of(Json.obj("role", "user", "content", "Second question")));
        Map<String, Object> second = json(client.post(MESSAGES, body, HEADERS));
        assertEquals(written, number(second, "usage", "cache_read_input_tokens"));
        assertEquals(0, number(second, "usage", "cache_creation_input_tokens"));
        assertTrue(number(second, "usage", "input_tokens") < 20, "only the question is uncached");

        Map<String, Object> oneHour = Json.obj("model", MODEL, "max_tokens", 256,
            "system", List.of(Json.obj("type", "text", "text", "Another prefix. ".repeat(50),
                "cache_control", Json.obj("type", "ephemeral", "ttl", "1h"))),
            "messages", List.of(Json.obj("role", "user", "content", "Q")));
        Map<String, Object> third = json(client.post(MESSAGES, oneHour, HEADERS));
        assertTrue(number(third, "usage", "cache_creation", "ephemeral_1h_input_tokens") > 0);
        assertEquals(0, number(third, "usage", "cache_creation", "ephemeral_5m_input_tokens"));

        ServedStats served = simulator.served().stats("anthropic", MODEL);
        long input = 0;
        long cacheWrite = 0;
        for (Map<String, Object> response : List.of(first, second, third)) {
            input += number(response, "usage", "input_tokens") + number(response, "usage", "cache_read_input_tokens")
                + number(response, "usage", "cache_creation_input_tokens");
            cacheWrite += number(response, "usage", "cache_creation_input_tokens");
        }
        assertEquals(input, served.inputTokens());
        assertEquals(written, served.cacheReadTokens());
        assertEquals(cacheWrite, served.cacheWriteTokens());
    }

    @Test
    void toolUseInJsonAndStream() {
        List<Object> tools = List.of(Json.obj("name", "lookup_invoice", "description", "Find an invoice",
            "input_schema", Json.obj("type", "object", "properties", Json.obj("invoice_id", Json.obj("type", "string")),
                "required", List.of("invoice_id"))));
        Map<String, Object> body = json(client.post(MESSAGES, request("Please call the lookup tool", "tools", tools), HEADERS));
        assertEquals("tool_use", body.get("stop_reason"));
        assertEquals("tool_use", at(body, "content", 0, "type"));
        assertEquals("lookup_invoice", at(body, "content", 0, "name"));
        assertEquals("sample", at(body, "content", 0, "input", "invoice_id"));
        assertTrue(((String) at(body, "content", 0, "id")).startsWith("toolu_"));

        SimClient.Sse sse = client.stream(MESSAGES, request("Please call the lookup tool", "tools", tools, "stream", true),
            HEADERS);
        StringBuilder partial = new StringBuilder();
        for (SimClient.Event event : sse.events) {
            Map<String, Object> data = event.json();
            if (event.name().equals("content_block_start")) {
                assertEquals("tool_use", at(data, "content_block", "type"));
            }
            if (event.name().equals("content_block_delta")) {
                assertEquals("input_json_delta", at(data, "delta", "type"));
                partial.append((String) at(data, "delta", "partial_json"));
            }
            if (event.name().equals("message_delta")) {
                assertEquals("tool_use", at(data, "delta", "stop_reason"));
                assertEquals(number(body, "usage", "output_tokens"), number(data, "usage", "output_tokens"));
            }
        }
        assertEquals("sample", json(partial.toString()).get("invoice_id"));
    }

    @Test
    void maxTokensAndStopSequences() {
        Map<String, Object> limited = json(client.post(MESSAGES, Json.obj("model", MODEL, "max_tokens", 3,
            "messages", List.of(Json.obj("role", "user", "content", "Long answer please"))), HEADERS));
        assertEquals("max_tokens", limited.get("stop_reason"));
        assertEquals(3, number(limited, "usage", "output_tokens"));

        String full = at(json(client.post(MESSAGES, request("Long answer please"), HEADERS)), "content", 0, "text");
        String stop = " " + full.split(" ")[2];
        Map<String, Object> stopped = json(client.post(MESSAGES,
            request("Long answer please", "stop_sequences", List.of(stop)), HEADERS));
        assertEquals("stop_sequence", stopped.get("stop_reason"));
        assertEquals(stop, stopped.get("stop_sequence"));
        assertEquals(full.substring(0, full.indexOf(stop)), at(stopped, "content", 0, "text"));
    }

    @Test
    void countTokensMatchesMessageInput() {
        Map<String, Object> message = json(client.post(MESSAGES, request("Count me"), HEADERS));
        Map<String, Object> counted = json(client.post(MESSAGES + "/count_tokens",
            Json.obj("model", MODEL, "messages", List.of(Json.obj("role", "user", "content", "Count me"))), HEADERS));
        assertEquals(number(message, "usage", "input_tokens"), number(counted, "input_tokens"));
    }

    @Test
    void errorsUseAnthropicsShape() {
        HttpResponse<String> noKey = client.post(MESSAGES, request("hi"), "anthropic-version", "2023-06-01");
        assertEquals(401, noKey.statusCode());
        assertAnthropicError(json(noKey), "authentication_error");

        HttpResponse<String> noVersion = client.post(MESSAGES, request("hi"), "x-api-key", "k");
        assertEquals(400, noVersion.statusCode());
        assertAnthropicError(json(noVersion), "invalid_request_error");

        HttpResponse<String> malformed = client.post(MESSAGES, "{\"model\":", HEADERS);
        assertEquals(400, malformed.statusCode());
        assertAnthropicError(json(malformed), "invalid_request_error");

        HttpResponse<String> noMaxTokens = client.post(MESSAGES, Json.obj("model", MODEL,
            "messages", List.of(Json.obj("role", "user", "content", "hi"))), HEADERS);
        assertEquals(400, noMaxTokens.statusCode());
        assertTrue(((String) at(json(noMaxTokens), "error", "message")).contains("max_tokens"));

        HttpResponse<String> unknown = client.get("/anthropic/v1/nothing", HEADERS);
        assertEquals(404, unknown.statusCode());
        assertAnthropicError(json(unknown), "not_found_error");
    }

    static void assertAnthropicError(Map<String, Object> body, String type) {
        assertEquals("error", body.get("type"));
        assertEquals(type, at(body, "error", "type"));
        assertTrue(((String) at(body, "error", "message")).length() > 3);
    }
}
