package dev.tollgate.gateway;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Anthropic's Messages API over raw HTTP, to every provider, and translation back to OpenAI's format. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessagesApiTest extends GatewayTest {

    @Inject
    JsonMapper json;

    final HttpClient http = HttpClient.newHttpClient();
    GatewayTestSupport.TestKey key;

    @BeforeAll
    void setUp() throws Exception {
        key = createKey();
    }

    HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.getURL() + path))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void messagesJsonToEveryProviderWithXApiKey() throws Exception {
        for (String model : List.of("claude-3-5-haiku-latest", "gpt-4o-mini", "gemini-2.0-flash")) {
            HttpResponse<String> r = post("/v1/messages", """
                    {"model":"%s","max_tokens":64,"system":"Be brief.","messages":[{"role":"user","content":"Hello there"}]}
                    """.formatted(model), "x-api-key", key.value(), "anthropic-version", "2023-06-01");
            assertEquals(200, r.statusCode(), model + ": " + r.body());
            JsonNode body = json.readValue(r.body(), JsonNode.class);
            assertEquals("message", body.get("type").getStringValue());
            assertEquals("text", body.get("content").get(0).get("type").getStringValue());
            assertTrue(body.get("usage").get("output_tokens").getLongValue() > 0);
            assertTrue(r.headers().firstValue("x-request-id").isPresent());
            assertTrue(r.headers().firstValue("x-tollgate-provider").isPresent());
        }
    }

    @Test
    void messagesStreamFromOpenAiUpstream() throws Exception {
        HttpResponse<String> r = post("/v1/messages", """
                {"model":"gpt-4o-mini","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Hello there"}]}
                """, "Authorization", "Bearer " + key.value());
        assertEquals(200, r.statusCode(), r.body());
        List<String> events = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (String line : r.body().split("\n")) {
            if (line.startsWith("event: ")) {
                events.add(line.substring(7).trim());
            } else if (line.startsWith("data: ") && line.contains("text_delta")) {
                text.append(json.readValue(line.substring(6), JsonNode.class).get("delta").get("text").getStringValue());
            }
        }
        assertEquals("message_start", events.get(0), r.body());
        assertTrue(events.contains("content_block_delta"));
        assertEquals("message_delta", events.get(events.size() - 2));
        assertEquals("message_stop", events.get(events.size() - 1));
        assertTrue(text.length() > 0);
    }

    @Test
    void openAiStreamFromAnthropicUpstreamCarriesUsageWhenAsked() throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions", """
                {"model":"claude-3-5-haiku-latest","stream":true,"stream_options":{"include_usage":true},
                 "messages":[{"role":"user","content":"Hello there"}]}
                """, "Authorization", "Bearer " + key.value());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"completion_tokens\""), r.body());
        assertTrue(r.body().trim().endsWith("data: [DONE]"), r.body());
    }

    @Test
    void toolCallsTranslateAcrossFormatsAndProviders() throws Exception {
        String tools = "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Weather of a city\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}]";
        for (String model : List.of("gpt-4o-mini", "claude-3-5-haiku-latest", "gemini-2.0-flash")) {
            HttpResponse<String> r = post("/v1/chat/completions", """
                    {"model":"%s","tools":%s,"messages":[{"role":"user","content":"Please call the weather tool for Paris"}]}
                    """.formatted(model, tools), "Authorization", "Bearer " + key.value());
            assertEquals(200, r.statusCode(), model + ": " + r.body());
            JsonNode choice = json.readValue(r.body(), JsonNode.class).get("choices").get(0);
            assertEquals("tool_calls", choice.get("finish_reason").getStringValue(), model + ": " + r.body());
            JsonNode call = choice.get("message").get("tool_calls").get(0);
            assertEquals("get_weather", call.get("function").get("name").getStringValue());
            JsonNode args = json.readValue(call.get("function").get("arguments").getStringValue(), JsonNode.class);
            assertTrue(args.get("city") != null, r.body());
            String id = call.get("id").getStringValue();

            // the tool's answer goes back, in OpenAI's format, to whichever provider made the call
            HttpResponse<String> followUp = post("/v1/chat/completions", """
                    {"model":"%s","tools":%s,"messages":[{"role":"user","content":"What is the weather in Paris?"},
                     {"role":"assistant","content":null,"tool_calls":[{"id":"%s","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                     {"role":"tool","tool_call_id":"%s","content":"sunny, 21 C"}]}
                    """.formatted(model, tools, id, id), "Authorization", "Bearer " + key.value());
            assertEquals(200, followUp.statusCode(), model + ": " + followUp.body());

            // and the same call through Anthropic's format, streamed
            HttpResponse<String> anthropic = post("/v1/messages", """
                    {"model":"%s","max_tokens":100,"stream":true,"tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}],
                     "messages":[{"role":"user","content":"Please call the weather tool for Paris"}]}
                    """.formatted(model), "x-api-key", key.value());
            assertEquals(200, anthropic.statusCode(), anthropic.body());
            assertTrue(anthropic.body().contains("\"tool_use\""), model + ": " + anthropic.body());
            assertTrue(anthropic.body().contains("input_json_delta"), model + ": " + anthropic.body());
            assertTrue(anthropic.body().contains("\"stop_reason\":\"tool_use\""), model + ": " + anthropic.body());
        }
    }

    @Test
    void upstreamFailuresBeforeAndDuringAStream() throws Exception {
        var simulator = GatewayTestSupport.simulator();
        String body = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        simulator.addFault(dev.tollgate.platform.simulator.Fault.error("openai", 503).times(1));
        HttpResponse<String> before = post("/v1/chat/completions", body, "Authorization", "Bearer " + key.value());
        assertEquals(503, before.statusCode(), "an upstream failure before the first byte is an HTTP status: " + before.body());
        assertEquals("upstream_unavailable", json.readValue(before.body(), JsonNode.class).get("error").get("code").getStringValue());

        simulator.addFault(dev.tollgate.platform.simulator.Fault.of("openai",
                dev.tollgate.platform.simulator.FaultMode.DROP_MID_STREAM).times(1));
        HttpResponse<String> during = post("/v1/chat/completions", body, "Authorization", "Bearer " + key.value());
        assertEquals(200, during.statusCode());
        assertTrue(during.body().contains("\"error\""), "a failure after the first byte ends the stream with an error event: "
                + during.body());
        assertTrue(!during.body().contains("[DONE]"));
    }

    @Test
    void badInputIsA4xxInTheRightShape() throws Exception {
        String auth = "Bearer " + key.value();
        assertEquals(400, post("/v1/chat/completions", "{not json", "Authorization", auth).statusCode());
        assertEquals(400, post("/v1/chat/completions", "{\"messages\":[]}", "Authorization", auth).statusCode());
        assertEquals(400, post("/v1/chat/completions", "{\"model\":\"gpt-4o-mini\"}", "Authorization", auth).statusCode());
        assertEquals(400, post("/v1/chat/completions", "{\"model\":42,\"messages\":[]}", "Authorization", auth).statusCode());
        HttpResponse<String> r = post("/v1/messages", "{\"model\":\"claude-3-5-haiku-latest\",\"messages\":[]}", "x-api-key", key.value());
        assertEquals(400, r.statusCode());
        JsonNode body = json.readValue(r.body(), JsonNode.class);
        assertEquals("error", body.get("type").getStringValue());
        assertEquals("invalid_request_error", body.get("error").get("type").getStringValue());
        HttpResponse<String> unknown = post("/v1/chat/completions",
                "{\"model\":\"mystery-1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "Authorization", auth);
        assertEquals(404, unknown.statusCode());
        assertEquals("model_not_found", json.readValue(unknown.body(), JsonNode.class).get("error").get("code").getStringValue());
        HttpRequest invalidUtf8 = HttpRequest.newBuilder(URI.create(server.getURL() + "/v1/chat/completions"))
                .header("Authorization", auth).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[]{'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'})).build();
        assertEquals(400, http.send(invalidUtf8, HttpResponse.BodyHandlers.ofString()).statusCode());
        byte[] big = new byte[11 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'a');
        HttpRequest tooLarge = HttpRequest.newBuilder(URI.create(server.getURL() + "/v1/chat/completions"))
                .header("Authorization", auth).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build();
        assertEquals(413, http.send(tooLarge, HttpResponse.BodyHandlers.ofString()).statusCode());
    }
}
