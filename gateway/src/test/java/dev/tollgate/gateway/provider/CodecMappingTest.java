package dev.tollgate.gateway.provider;

import dev.tollgate.gateway.model.ChatEvent;
import dev.tollgate.gateway.model.ChatRequest;
import dev.tollgate.gateway.model.FinishReason;
import dev.tollgate.gateway.model.Part;
import dev.tollgate.gateway.model.Role;
import dev.tollgate.gateway.provider.anthropic.AnthropicCodec;
import dev.tollgate.gateway.provider.gemini.GeminiCodec;
import dev.tollgate.gateway.provider.openai.OpenAiCodec;
import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.usage.TokenUsage;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wire mappings without any server: roles, system prompts, images, tools, usage and stream events. */
class CodecMappingTest {

    private final JsonMapper json = JsonMapper.createDefault();

    private JsonNode parse(String text) throws Exception {
        return json.readValue(text, JsonNode.class);
    }

    private static final String OPENAI_REQUEST = """
            {"model":"claude-3-5-haiku-latest","max_tokens":50,"temperature":1.5,"stop":"END","user":"u-1",
             "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}],
             "tool_choice":"required",
             "messages":[
               {"role":"developer","content":"Be brief."},
               {"role":"user","content":[{"type":"text","text":"What is here?"},
                                         {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]},
               {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                 "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
               {"role":"tool","tool_call_id":"call_1","content":"sunny"},
               {"role":"user","content":"thanks"}]}
            """;

    @Test
    void openAiRequestBecomesAnthropicRequest() throws Exception {
        ChatRequest neutral = OpenAiCodec.decodeRequest(parse(OPENAI_REQUEST), 1000).request();
        assertEquals(Role.SYSTEM, neutral.messages().get(0).role());
        assertInstanceOf(Part.Image.class, neutral.messages().get(1).content().get(1));

        JsonNode wire = new AnthropicCodec(json).encodeRequest(neutral, 4096);
        assertEquals("Be brief.", wire.get("system").getStringValue());
        assertEquals(1.0, wire.get("temperature").getDoubleValue(), "Anthropic's temperature tops out at 1");
        assertEquals("any", wire.get("tool_choice").get("type").getStringValue());
        assertEquals("END", wire.get("stop_sequences").get(0).getStringValue());
        JsonNode messages = wire.get("messages");
        assertEquals(3, messages.size(), "user, assistant, user (tool result + text)");
        assertEquals("base64", messages.get(0).get("content").get(1).get("source").get("type").getStringValue());
        assertEquals("image/png", messages.get(0).get("content").get(1).get("source").get("media_type").getStringValue());
        assertEquals("tool_use", messages.get(1).get("content").get(0).get("type").getStringValue());
        assertEquals("Paris", messages.get(1).get("content").get(0).get("input").get("city").getStringValue());
        assertEquals("tool_result", messages.get(2).get("content").get(0).get("type").getStringValue());
        assertEquals("call_1", messages.get(2).get("content").get(0).get("tool_use_id").getStringValue());
        assertEquals("thanks", messages.get(2).get("content").get(1).get("text").getStringValue());
    }

    @Test
    void openAiRequestBecomesGeminiRequest() throws Exception {
        ChatRequest neutral = OpenAiCodec.decodeRequest(parse(OPENAI_REQUEST), 1000).request();
        JsonNode wire = new GeminiCodec(json).encodeRequest(neutral);
        assertEquals("Be brief.", wire.get("systemInstruction").get("parts").get(0).get("text").getStringValue());
        JsonNode contents = wire.get("contents");
        assertEquals("user", contents.get(0).get("role").getStringValue());
        assertEquals("image/png", contents.get(0).get("parts").get(1).get("inlineData").get("mimeType").getStringValue());
        assertEquals("model", contents.get(1).get("role").getStringValue());
        assertEquals("get_weather", contents.get(1).get("parts").get(0).get("functionCall").get("name").getStringValue());
        assertEquals("get_weather", contents.get(2).get("parts").get(0).get("functionResponse").get("name").getStringValue(),
                "Gemini matches a tool result by the function's name");
        assertEquals("ANY", wire.get("toolConfig").get("functionCallingConfig").get("mode").getStringValue());
        assertEquals(50, wire.get("generationConfig").get("maxOutputTokens").getIntValue());
    }

    @Test
    void invalidOpenAiRequestsNameTheParameter() throws Exception {
        assertEquals("messages", assertThrows(ApiException.class, () -> OpenAiCodec.decodeRequest(parse("{\"model\":\"m\"}"), 10))
                .body().error().param());
        assertEquals("max_tokens", assertThrows(ApiException.class, () -> OpenAiCodec.decodeRequest(parse(
                "{\"model\":\"m\",\"max_tokens\":11,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"), 10)).body().error().param());
        assertEquals("messages[0].role", assertThrows(ApiException.class, () -> OpenAiCodec.decodeRequest(parse(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}"), 10)).body().error().param());
        assertEquals("temperature", assertThrows(ApiException.class, () -> OpenAiCodec.decodeRequest(parse(
                "{\"model\":\"m\",\"temperature\":\"hot\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"), 10)).body().error().param());
    }

    @Test
    void anthropicUsageCountsCacheInsideTheWholePrompt() throws Exception {
        JsonNode response = parse("""
                {"id":"msg_1","model":"claude-x","content":[{"type":"text","text":"hi"}],"stop_reason":"max_tokens",
                 "usage":{"input_tokens":10,"cache_read_input_tokens":100,"cache_creation_input_tokens":5,"output_tokens":7}}""");
        AnthropicCodec codec = new AnthropicCodec(json);
        var neutral = codec.decodeResponse(response);
        assertEquals(new TokenUsage(115, 100, 5, 7, 0), neutral.usage());
        assertEquals(FinishReason.LENGTH, neutral.choices().get(0).finishReason());
        JsonNode back = codec.encodeResponse(neutral, "claude-x");
        assertEquals(10, back.get("usage").get("input_tokens").getLongValue());
        JsonNode openAi = OpenAiCodec.encodeResponse(neutral, "claude-x", 0);
        assertEquals(115, openAi.get("usage").get("prompt_tokens").getLongValue());
        assertEquals(100, openAi.get("usage").get("prompt_tokens_details").get("cached_tokens").getLongValue());
        assertEquals("length", openAi.get("choices").get(0).get("finish_reason").getStringValue());
    }

    @Test
    void anthropicStreamEventsFromNeutralEvents() {
        AnthropicCodec.StreamEncoder encoder = new AnthropicCodec.StreamEncoder("gpt-4o-mini");
        List<String> names = new java.util.ArrayList<>();
        for (ChatEvent e : List.of(new ChatEvent.Start("id1", "gpt-4o-mini"), new ChatEvent.TextDelta(0, "Hel"),
                new ChatEvent.TextDelta(0, "lo"), new ChatEvent.ToolCallDelta(0, 0, "call_1", "f", ""),
                new ChatEvent.ToolCallDelta(0, 0, null, null, "{\"a\":1}"), new ChatEvent.Finish(0, FinishReason.TOOL_CALLS),
                new ChatEvent.Usage(TokenUsage.of(5, 3)))) {
            encoder.encode(e).forEach(ev -> names.add(ev.name()));
        }
        encoder.finish().forEach(ev -> names.add(ev.name()));
        assertEquals(List.of("message_start", "content_block_start", "content_block_delta", "content_block_delta",
                "content_block_stop", "content_block_start", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop"), names);
    }

    @Test
    void openAiStreamDropsTheUsageChunkUnlessAsked() {
        OpenAiCodec.StreamEncoder silent = new OpenAiCodec.StreamEncoder("m", 0, false);
        assertTrue(silent.encode(new ChatEvent.Usage(TokenUsage.of(1, 2))).isEmpty());
        OpenAiCodec.StreamEncoder asked = new OpenAiCodec.StreamEncoder("m", 0, true);
        JsonNode chunk = asked.encode(new ChatEvent.Usage(TokenUsage.of(1, 2))).get(0);
        assertEquals(0, chunk.get("choices").size());
        assertEquals(3, chunk.get("usage").get("total_tokens").getLongValue());
    }

    @Test
    void geminiStreamUsageArrivesOnceAtTheEnd() throws Exception {
        GeminiCodec.StreamDecoder decoder = new GeminiCodec(json).new StreamDecoder("gemini-2.0-flash");
        List<ChatEvent> events = new java.util.ArrayList<>(decoder.decode(parse("""
                {"candidates":[{"content":{"parts":[{"text":"Hi"}]},"index":0}],"usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":1}}""")));
        events.addAll(decoder.decode(parse("""
                {"candidates":[{"content":{"parts":[{"functionCall":{"name":"f","args":{"x":1}}}]},"finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":6,"thoughtsTokenCount":2}}""")));
        events.addAll(decoder.finish());
        assertInstanceOf(ChatEvent.Start.class, events.get(0));
        assertEquals(new ChatEvent.Finish(0, FinishReason.TOOL_CALLS), events.get(3));
        assertEquals(new ChatEvent.Usage(new TokenUsage(4, 0, 0, 8, 2)), events.get(4));
        assertNull(((ChatEvent.ToolCallDelta) events.get(2)).name() == null ? "no name" : null);
    }
}
