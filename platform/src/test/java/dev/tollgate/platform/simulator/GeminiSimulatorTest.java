package dev.tollgate.platform.simulator;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static dev.tollgate.platform.simulator.SimClient.at;
import static dev.tollgate.platform.simulator.SimClient.json;
import static dev.tollgate.platform.simulator.SimClient.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeminiSimulatorTest extends SimulatorTestBase {

    private static final String[] KEY = {"x-goog-api-key", "gemini-key"};
    private static final String FLASH = "gemini-2.0-flash";
    private static final String THINKING = "gemini-2.5-flash";


    private static String path(String model, String method) {
        return "/gemini/v1beta/models/" + model + ":" + method;
    }

    private static Map<String, Object> request(String text, Object... extra) {
        Map<String, Object> body = Json.obj("contents", List.of(Json.obj("role", "user",
            "parts", List.of(Json.obj("text", text)))));
        for (int i = 0; i < extra.length; i += 2) {
            body.put((String) extra[i], extra[i + 1]);
        }
        return body;
    }

    @Test
    void generateContentWithUsageMetadata() {
        HttpResponse<String> response = client.post(path(FLASH, "generateContent"),
            request("Hello Gemini", "systemInstruction", Json.obj("parts", List.of(Json.obj("text", "Be brief.")))), KEY);
        assertEquals(200, response.statusCode(), response.body());
        Map<String, Object> body = json(response);
        String text = at(body, "candidates", 0, "content", "parts", 0, "text");
        assertEquals("model", at(body, "candidates", 0, "content", "role"));
        assertEquals("STOP", at(body, "candidates", 0, "finishReason"));
        assertEquals(FLASH, body.get("modelVersion"));
        long prompt = number(body, "usageMetadata", "promptTokenCount");
        long candidates = number(body, "usageMetadata", "candidatesTokenCount");
        assertEquals(Tokenizer.count(FLASH, text), candidates);
        assertEquals(prompt + candidates, number(body, "usageMetadata", "totalTokenCount"));
        assertFalse(((Map<?, ?>) body.get("usageMetadata")).containsKey("thoughtsTokenCount"));

        HttpResponse<String> viaQueryKey = client.post(path(FLASH, "generateContent") + "?key=abc",
            request("Hello Gemini", "systemInstruction", Json.obj("parts", List.of(Json.obj("text", "Be brief.")))));
        assertEquals(text, at(json(viaQueryKey), "candidates", 0, "content", "parts", 0, "text"));

        ServedStats served = simulator.served().stats("gemini", FLASH);
        assertEquals(2, served.requests());
        assertEquals(2 * prompt, served.inputTokens());
        assertEquals(2 * candidates, served.outputTokens());
    }

    @Test
    void thinkingModelsReportThoughts() {
        Map<String, Object> body = json(client.post(path(THINKING, "generateContent"), request("Think"), KEY));
        long thoughts = number(body, "usageMetadata", "thoughtsTokenCount");
        assertTrue(thoughts > 0);
        assertEquals(number(body, "usageMetadata", "promptTokenCount") + number(body, "usageMetadata", "candidatesTokenCount")
            + thoughts, number(body, "usageMetadata", "totalTokenCount"));
        Map<String, Object> noThinking = json(client.post(path(THINKING, "generateContent"), request("Think",
            "generationConfig", Json.obj("thinkingConfig", Json.obj("thinkingBudget", 0))), KEY));
        assertFalse(((Map<?, ?>) noThinking.get("usageMetadata")).containsKey("thoughtsTokenCount"));
        ServedStats served = simulator.served().stats("gemini", THINKING);
        assertEquals(thoughts, served.reasoningTokens());
        assertEquals(thoughts + number(body, "usageMetadata", "candidatesTokenCount")
            + number(noThinking, "usageMetadata", "candidatesTokenCount"), served.outputTokens());
    }

    @Test
    void streamGenerateContentOverSse() {
        String expected = at(json(client.post(path(THINKING, "generateContent"), request("Stream it"), KEY)),
            "candidates", 0, "content", "parts", 0, "text");
        simulator.resetServed();
        SimClient.Sse sse = client.stream(path(THINKING, "streamGenerateContent") + "?alt=sse", request("Stream it"), KEY);
        assertNull(sse.failure);
        assertTrue(sse.contentType.startsWith("text/event-stream"));
        List<Map<String, Object>> chunks = sse.jsonEvents();
        assertTrue(chunks.size() > 2);
        StringBuilder text = new StringBuilder();
        for (Map<String, Object> chunk : chunks) {
            text.append((String) at(chunk, "candidates", 0, "content", "parts", 0, "text"));
            assertTrue(chunk.containsKey("usageMetadata"));
        }
        assertEquals(expected, text.toString());
        Map<String, Object> last = chunks.get(chunks.size() - 1);
        assertEquals("STOP", at(last, "candidates", 0, "finishReason"));
        assertNull(at(chunks.get(0), "candidates", 0, "finishReason"));
        ServedStats served = simulator.served().stats("gemini", THINKING);
        assertEquals(1, served.streamedRequests());
        assertEquals(number(last, "usageMetadata", "promptTokenCount"), served.inputTokens());
        assertEquals(number(last, "usageMetadata", "candidatesTokenCount")
            + number(last, "usageMetadata", "thoughtsTokenCount"), served.outputTokens());
    }

    @Test
    void streamGenerateContentWithoutSseIsAJsonArray() {
        HttpResponse<String> response = client.post(path(FLASH, "streamGenerateContent"), request("Array please"), KEY);
        assertEquals(200, response.statusCode());
        assertTrue(response.body().startsWith("["));
        assertTrue(response.body().endsWith("]"));
        assertTrue(response.body().contains("\"finishReason\":\"STOP\""));
    }

    @Test
    void functionCallsCachingAndLimits() {
        List<Object> tools = List.of(Json.obj("functionDeclarations", List.of(Json.obj("name", "get_rate",
            "parameters", Json.obj("type", "object", "properties", Json.obj("currency", Json.obj("type", "string",
                "enum", List.of("EUR", "USD"))), "required", List.of("currency"))))));
        Map<String, Object> called = json(client.post(path(FLASH, "generateContent"),
            request("Please call get_rate", "tools", tools), KEY));
        assertEquals("get_rate", at(called, "candidates", 0, "content", "parts", 0, "functionCall", "name"));
        assertEquals("EUR", at(called, "candidates", 0, "content", "parts", 0, "functionCall", "args", "currency"));

        Map<String, Object> limited = json(client.post(path(FLASH, "generateContent"),
            request("Long", "generationConfig", Json.obj("maxOutputTokens", 2)), KEY));
        assertEquals("MAX_TOKENS", at(limited, "candidates", 0, "finishReason"));
        assertEquals(2, number(limited, "usageMetadata", "candidatesTokenCount"));

        Map<String, Object> json = json(client.post(path(FLASH, "generateContent"),
            request("JSON", "generationConfig", Json.obj("responseMimeType", "application/json", "candidateCount", 2)), KEY));
        assertEquals(2, ((List<?>) json.get("candidates")).size());
        assertTrue(json((String) at(json, "candidates", 1, "content", "parts", 0, "text")).containsKey("answer"));

        String big = "Gemini implicit caching needs long repeated prefixes to work well. ".repeat(120);
        json(client.post(path(FLASH, "generateContent"), request(big), KEY));
        Map<String, Object> cached = json(client.post(path(FLASH, "generateContent"), request(big), KEY));
        assertTrue(number(cached, "usageMetadata", "cachedContentTokenCount") >= 1024);
    }

    @Test
    void errorsUseGooglesShape() {
        HttpResponse<String> noKey = client.post(path(FLASH, "generateContent"), request("hi"));
        assertEquals(401, noKey.statusCode());
        assertEquals(401, number(json(noKey), "error", "code"));
        assertEquals("UNAUTHENTICATED", at(json(noKey), "error", "status"));

        HttpResponse<String> malformed = client.post(path(FLASH, "generateContent"), "{{", KEY);
        assertEquals(400, malformed.statusCode());
        assertEquals("INVALID_ARGUMENT", at(json(malformed), "error", "status"));

        HttpResponse<String> noContents = client.post(path(FLASH, "generateContent"), Json.obj(), KEY);
        assertEquals(400, noContents.statusCode());
        assertEquals("INVALID_ARGUMENT", at(json(noContents), "error", "status"));

        HttpResponse<String> unknown = client.post("/gemini/v1beta/models/x:doSomething", Json.obj(), KEY);
        assertEquals(404, unknown.statusCode());
        assertEquals("NOT_FOUND", at(json(unknown), "error", "status"));
    }
}
