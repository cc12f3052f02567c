package dev.tollgate.platform.simulator;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.tollgate.platform.simulator.SimClient.at;
import static dev.tollgate.platform.simulator.SimClient.json;
import static dev.tollgate.platform.simulator.SimClient.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenAiSimulatorTest extends SimulatorTestBase {

    private static final String[] AUTH = {"Authorization", "Bearer sk-test"};
    private static final String CHAT = "/openai/v1/chat/completions";


    private static Map<String, Object> chat(String model, String userText, Object... extra) {
        Map<String, Object> body = Json.obj("model", model, "messages", List.of(
            Json.obj("role", "system", "content", "You are terse."),
            Json.obj("role", "user", "content", userText)));
        for (int i = 0; i < extra.length; i += 2) {
            body.put((String) extra[i], extra[i + 1]);
        }
        return body;
    }

    @Test
    void chatCompletionIsDeterministicAndCountsRealTokens() {
        HttpResponse<String> first = client.post(CHAT, chat("gpt-4o-mini", "What is a gateway?"), AUTH);
        HttpResponse<String> again = client.post(CHAT, chat("gpt-4o-mini", "What is a gateway?"), AUTH);
        HttpResponse<String> other = client.post(CHAT, chat("gpt-4o-mini", "Something else entirely"), AUTH);
        assertEquals(200, first.statusCode(), first.body());
        Map<String, Object> body = json(first);
        assertEquals("chat.completion", body.get("object"));
        assertEquals("gpt-4o-mini", body.get("model"));
        String content = at(body, "choices", 0, "message", "content");
        assertEquals("assistant", at(body, "choices", 0, "message", "role"));
        assertEquals("stop", at(body, "choices", 0, "finish_reason"));
        assertEquals(content, at(json(again), "choices", 0, "message", "content"));
        assertNotEquals(content, at(json(other), "choices", 0, "message", "content"));

        assertEquals(Tokenizer.count("gpt-4o-mini", content), number(body, "usage", "completion_tokens"));
        long prompt = number(body, "usage", "prompt_tokens");
        assertTrue(prompt > Tokenizer.count("gpt-4o-mini", "What is a gateway?"));
        assertEquals(prompt + number(body, "usage", "completion_tokens"), number(body, "usage", "total_tokens"));
        assertEquals(0, number(body, "usage", "prompt_tokens_details", "cached_tokens"));
        assertEquals(0, number(body, "usage", "completion_tokens_details", "reasoning_tokens"));

        long input = 0;
        long output = 0;
        for (HttpResponse<String> response : List.of(first, again, other)) {
            input += number(json(response), "usage", "prompt_tokens");
            output += number(json(response), "usage", "completion_tokens");
        }
        ServedStats served = simulator.served().stats("openai", "gpt-4o-mini");
        assertEquals(3, served.requests());
        assertEquals(0, served.streamedRequests());
        assertEquals(input, served.inputTokens());
        assertEquals(output, served.outputTokens());
    }

    @Test
    void streamWithIncludeUsageEndsWithAUsageChunkAndDone() {
        Map<String, Object> request = chat("gpt-4o", "Stream me an answer");
        String expected = at(json(client.post(CHAT, request, AUTH)), "choices", 0, "message", "content");
        simulator.resetServed();

        request.put("stream", true);
        request.put("stream_options", Json.obj("include_usage", true));
        SimClient.Sse sse = client.stream(CHAT, request, AUTH);
        assertNull(sse.failure);
        assertEquals(200, sse.status);
        assertTrue(sse.contentType.startsWith("text/event-stream"));
        assertEquals("[DONE]", sse.events.get(sse.events.size() - 1).data());
        List<Map<String, Object>> chunks = sse.jsonEvents();
        StringBuilder text = new StringBuilder();
        String finish = null;
        for (Map<String, Object> chunk : chunks.subList(0, chunks.size() - 1)) {
            assertEquals("chat.completion.chunk", chunk.get("object"));
            assertTrue(chunk.containsKey("usage"));
            assertNull(chunk.get("usage"));
            String piece = at(chunk, "choices", 0, "delta", "content");
            if (piece != null) {
                text.append(piece);
            }
            if (at(chunk, "choices", 0, "finish_reason") != null) {
                finish = at(chunk, "choices", 0, "finish_reason");
            }
        }
        assertTrue(chunks.size() > 3, "content arrives in several chunks");
        assertEquals(expected, text.toString());
        assertEquals("stop", finish);
        Map<String, Object> last = chunks.get(chunks.size() - 1);
        assertEquals(List.of(), last.get("choices"));
        assertEquals(Tokenizer.count("gpt-4o", expected), number(last, "usage", "completion_tokens"));

        ServedStats served = simulator.served().stats("openai", "gpt-4o");
        assertEquals(1, served.streamedRequests());
        assertEquals(number(last, "usage", "prompt_tokens"), served.inputTokens());
        assertEquals(number(last, "usage", "completion_tokens"), served.outputTokens());
    }

    @Test
    void streamWithoutIncludeUsageHasNoUsageChunk() {
        SimClient.Sse sse = client.stream(CHAT, chat("gpt-4o", "hello", "stream", true), AUTH);
        assertNull(sse.failure);
        assertTrue(sse.jsonEvents().stream().noneMatch(chunk -> chunk.containsKey("usage")));
        assertTrue(sse.jsonEvents().stream().allMatch(chunk -> !((List<?>) chunk.get("choices")).isEmpty()));
    }

    @Test
    void honoursNMaxTokensAndStop() {
        Map<String, Object> three = json(client.post(CHAT, chat("gpt-4.1", "Give me options", "n", 3), AUTH));
        List<Map<String, Object>> choices = at(three, "choices");
        assertEquals(3, choices.size());
        long sum = 0;
        for (int i = 0; i < 3; i++) {
            assertEquals(i, number(choices.get(i), "index"));
            sum += Tokenizer.count("gpt-4.1", (String) at(choices.get(i), "message", "content"));
        }
        assertEquals(sum, number(three, "usage", "completion_tokens"));

        Map<String, Object> limited = json(client.post(CHAT,
            chat("gpt-4.1", "Give me options", "max_completion_tokens", 4), AUTH));
        assertEquals("length", at(limited, "choices", 0, "finish_reason"));
        assertTrue(number(limited, "usage", "completion_tokens") <= 4);
        Map<String, Object> legacyLimit = json(client.post(CHAT, chat("gpt-4.1", "Give me options", "max_tokens", 3), AUTH));
        assertEquals("length", at(legacyLimit, "choices", 0, "finish_reason"));
        assertEquals(3, number(legacyLimit, "usage", "completion_tokens"));

        String full = at(choices.get(0), "message", "content");
        String stopWord = " " + full.split(" ")[3];
        Map<String, Object> stopped = json(client.post(CHAT,
            chat("gpt-4.1", "Give me options", "stop", List.of("zzz", stopWord)), AUTH));
        String content = at(stopped, "choices", 0, "message", "content");
        assertEquals(full.substring(0, full.indexOf(stopWord)), content);
        assertEquals("stop", at(stopped, "choices", 0, "finish_reason"));
    }

    @Test
    void callsTheFirstToolWhenAsked() {
        List<Object> tools = List.of(
            Json.obj("type", "function", "function", Json.obj("name", "get_weather", "parameters",
                Json.obj("type", "object", "properties", Json.obj(
                    "city", Json.obj("type", "string"), "days", Json.obj("type", "integer")),
                    "required", List.of("city", "days")))),
            Json.obj("type", "function", "function", Json.obj("name", "other")));
        Map<String, Object> body = json(client.post(CHAT,
            chat("gpt-4o", "Please call the weather tool for Paris", "tools", tools), AUTH));
        assertEquals("tool_calls", at(body, "choices", 0, "finish_reason"));
        assertNull(at(body, "choices", 0, "message", "content"));
        assertEquals("get_weather", at(body, "choices", 0, "message", "tool_calls", 0, "function", "name"));
        String arguments = at(body, "choices", 0, "message", "tool_calls", 0, "function", "arguments");
        Map<String, Object> args = json(arguments);
        assertEquals("sample", args.get("city"));
        assertEquals(1, ((Number) args.get("days")).intValue());
        assertTrue(((String) at(body, "choices", 0, "message", "tool_calls", 0, "id")).startsWith("call_"));

        Map<String, Object> plain = json(client.post(CHAT, chat("gpt-4o", "Just talk", "tools", tools), AUTH));
        assertEquals("stop", at(plain, "choices", 0, "finish_reason"));

        Map<String, Object> streamBody = chat("gpt-4o", "Please call the weather tool for Paris", "tools", tools,
            "stream", true, "stream_options", Json.obj("include_usage", true));
        SimClient.Sse sse = client.stream(CHAT, streamBody, AUTH);
        StringBuilder streamedArgs = new StringBuilder();
        String name = null;
        String finish = null;
        for (Map<String, Object> chunk : sse.jsonEvents()) {
            if (((List<?>) chunk.get("choices")).isEmpty()) {
                assertEquals(number(body, "usage", "completion_tokens"), number(chunk, "usage", "completion_tokens"));
                continue;
            }
            Map<String, Object> call = at(chunk, "choices", 0, "delta", "tool_calls", 0);
            if (call != null) {
                if (at(call, "function", "name") != null) {
                    name = at(call, "function", "name");
                }
                streamedArgs.append((String) at(call, "function", "arguments"));
            }
            if (at(chunk, "choices", 0, "finish_reason") != null) {
                finish = at(chunk, "choices", 0, "finish_reason");
            }
        }
        assertEquals("get_weather", name);
        assertEquals(arguments, streamedArgs.toString());
        assertEquals("tool_calls", finish);
    }

    @Test
    void jsonModeAnswersValidJson() {
        Map<String, Object> body = json(client.post(CHAT, chat("gpt-4o-mini", "Reply in JSON",
            "response_format", Json.obj("type", "json_object")), AUTH));
        Map<String, Object> answer = json((String) at(body, "choices", 0, "message", "content"));
        assertTrue(answer.get("answer") instanceof String);
    }

    @Test
    void reasoningModelsReportReasoningTokensInsideCompletionTokens() {
        Map<String, Object> body = json(client.post(CHAT, chat("o3-mini", "Think hard"), AUTH));
        long reasoning = number(body, "usage", "completion_tokens_details", "reasoning_tokens");
        assertTrue(reasoning > 0);
        String content = at(body, "choices", 0, "message", "content");
        assertEquals(reasoning + Tokenizer.count("o3-mini", content), number(body, "usage", "completion_tokens"));
        assertEquals(reasoning, simulator.served().stats("openai", "o3-mini").reasoningTokens());
        Map<String, Object> gpt5 = json(client.post(CHAT, chat("gpt-5-mini", "Think hard"), AUTH));
        assertTrue(number(gpt5, "usage", "completion_tokens_details", "reasoning_tokens") > 0);
    }

    @Test
    void longRepeatedPromptsReadThePromptCache() {
        String longText = "Tollgate meters every request and bills tenants precisely. ".repeat(200);
        Map<String, Object> first = json(client.post(CHAT, chat("gpt-4o", longText), AUTH));
        Map<String, Object> second = json(client.post(CHAT, chat("gpt-4o", longText), AUTH));
        assertEquals(0, number(first, "usage", "prompt_tokens_details", "cached_tokens"));
        long cached = number(second, "usage", "prompt_tokens_details", "cached_tokens");
        assertTrue(cached >= 1024, "cached " + cached);
        assertEquals(0, (cached - 1024) % 128);
        assertTrue(cached <= number(second, "usage", "prompt_tokens"));
        assertEquals(cached, simulator.served().stats("openai", "gpt-4o").cacheReadTokens());
    }

    @Test
    void embeddingsAreDeterministicUnitVectors() {
        Map<String, Object> single = json(client.post("/openai/v1/embeddings",
            Json.obj("model", "text-embedding-3-small", "input", "hello world"), AUTH));
        List<Number> vector = at(single, "data", 0, "embedding");
        assertEquals(1536, vector.size());
        double norm = vector.stream().mapToDouble(v -> v.doubleValue() * v.doubleValue()).sum();
        assertEquals(1.0, norm, 1e-3);
        assertEquals(Tokenizer.count("text-embedding-3-small", "hello world"), number(single, "usage", "prompt_tokens"));

        Map<String, Object> batch = json(client.post("/openai/v1/embeddings",
            Json.obj("model", "text-embedding-3-small", "input", List.of("hello world", "bye"), "dimensions", 256), AUTH));
        List<Map<String, Object>> data = at(batch, "data");
        assertEquals(2, data.size());
        assertEquals(256, ((List<?>) data.get(0).get("embedding")).size());
        assertEquals(1, number(data.get(1), "index"));
        assertNotEquals((Object) at(data.get(0), "embedding"), at(data.get(1), "embedding"));
        Map<String, Object> again = json(client.post("/openai/v1/embeddings",
            Json.obj("model", "text-embedding-3-small", "input", "hello world"), AUTH));
        assertEquals(vector, at(again, "data", 0, "embedding"));

        Map<String, Object> encoded = json(client.post("/openai/v1/embeddings",
            Json.obj("model", "text-embedding-3-small", "input", "hello world", "encoding_format", "base64"), AUTH));
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode((String) at(encoded, "data", 0, "embedding")))
            .order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(vector.get(0).floatValue(), bytes.getFloat(), 1e-6);

        ServedStats served = simulator.served().stats("openai", "text-embedding-3-small");
        assertEquals(3 * number(single, "usage", "prompt_tokens") + number(batch, "usage", "prompt_tokens"),
            served.inputTokens());
        assertEquals(0, served.outputTokens());

        HttpResponse<String> badDimensions = client.post("/openai/v1/embeddings",
            Json.obj("model", "text-embedding-ada-002", "input", "x", "dimensions", 10), AUTH);
        assertEquals(400, badDimensions.statusCode());
        assertEquals("dimensions", at(json(badDimensions), "error", "param"));
    }

    @Test
    void listsModels() {
        Map<String, Object> body = json(client.get("/openai/v1/models", AUTH));
        assertEquals("list", body.get("object"));
        List<Map<String, Object>> data = at(body, "data");
        assertTrue(data.stream().anyMatch(m -> m.get("id").equals("gpt-4o") && m.get("object").equals("model")));
        assertEquals("gpt-4o-mini", json(client.get("/openai/v1/models/gpt-4o-mini", AUTH)).get("id"));
        assertEquals(404, client.get("/openai/v1/models/nope", AUTH).statusCode());
    }

    @Test
    void azureDeploymentsAnswerLikeOpenAi() {
        String path = "/azure/openai/deployments/prod-gpt4o/chat/completions?api-version=2024-10-21";
        HttpResponse<String> response = client.post(path,
            Json.obj("messages", List.of(Json.obj("role", "user", "content", "hi"))), "api-key", "azure-key");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("prod-gpt4o", json(response).get("model"));
        assertEquals(1, simulator.served().stats("azure", "prod-gpt4o").requests());
        assertEquals(number(json(response), "usage", "prompt_tokens"),
            simulator.served().stats("azure", "prod-gpt4o").inputTokens());

        HttpResponse<String> embedding = client.post(
            "/azure/openai/deployments/embed-small/embeddings?api-version=2024-10-21",
            Json.obj("input", "hello"), "api-key", "azure-key");
        assertEquals(200, embedding.statusCode());
        assertEquals("embed-small", json(embedding).get("model"));

        HttpResponse<String> noKey = client.post(path, Json.obj("messages", List.of()));
        assertEquals(401, noKey.statusCode());
        assertEquals("401", at(json(noKey), "error", "code"));
        HttpResponse<String> noVersion = client.post("/azure/openai/deployments/prod-gpt4o/chat/completions",
            Json.obj("messages", List.of()), "api-key", "k");
        assertEquals(404, noVersion.statusCode());
    }

    @Test
    void errorsUseOpenAisShape() {
        HttpResponse<String> noKey = client.post(CHAT, chat("gpt-4o", "hi"));
        assertEquals(401, noKey.statusCode());
        assertOpenAiError(json(noKey), "invalid_request_error");

        HttpResponse<String> malformed = client.post(CHAT, "{not json", AUTH);
        assertEquals(400, malformed.statusCode());
        assertOpenAiError(json(malformed), "invalid_request_error");

        HttpResponse<String> noModel = client.post(CHAT, Json.obj("messages", List.of()), AUTH);
        assertEquals(400, noModel.statusCode());

        HttpResponse<String> noMessages = client.post(CHAT, Json.obj("model", "gpt-4o"), AUTH);
        assertEquals(400, noMessages.statusCode());
        assertEquals("messages", at(json(noMessages), "error", "param"));
        assertEquals(1, simulator.served().stats("openai", "gpt-4o").errors());

        HttpResponse<String> badType = client.post(CHAT, chat("gpt-4o", "hi", "max_tokens", "ten"), AUTH);
        assertEquals(400, badType.statusCode());
        assertEquals("max_tokens", at(json(badType), "error", "param"));

        HttpResponse<String> unknown = client.get("/openai/v1/nothing-here", AUTH);
        assertEquals(404, unknown.statusCode());
        assertOpenAiError(json(unknown), "invalid_request_error");
        assertEquals(404, client.get("/nowhere").statusCode());
    }

    private static void assertOpenAiError(Map<String, Object> body, String type) {
        Map<String, Object> error = at(body, "error");
        assertTrue(error.get("message") instanceof String);
        assertEquals(type, error.get("type"));
        assertTrue(error.containsKey("param"), "param present (null allowed)");
        assertTrue(error.containsKey("code"), "code present (null allowed)");
        assertFalse(((String) error.get("message")).isBlank());
    }

}
