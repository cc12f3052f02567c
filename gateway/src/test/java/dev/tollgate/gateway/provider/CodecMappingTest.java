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
    void oneHourCacheWritesAndAudioTokensSurviveDecodingAndEncoding() throws Exception {
        AnthropicCodec anthropic = new AnthropicCodec(json);
        var claude = anthropic.decodeResponse(parse("""
                {"id":"msg_2","model":"claude-haiku-4-5","content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn",
                 "usage":{"input_tokens":12,"cache_creation_input_tokens":3000,"cache_read_input_tokens":500,
                          "cache_creation":{"ephemeral_5m_input_tokens":1000,"ephemeral_1h_input_tokens":2000},"output_tokens":250}}"""));
        assertEquals(new TokenUsage(3512, 500, 3000, 250, 0, 2000, 0, 0, 0), claude.usage());
        JsonNode back = anthropic.encodeResponse(claude, "claude-haiku-4-5").get("usage");
        assertEquals(12, back.get("input_tokens").getLongValue());
        assertEquals(1000, back.get("cache_creation").get("ephemeral_5m_input_tokens").getLongValue());
        assertEquals(2000, back.get("cache_creation").get("ephemeral_1h_input_tokens").getLongValue());

        AnthropicCodec.StreamDecoder stream = new AnthropicCodec.StreamDecoder();
        List<ChatEvent> events = new java.util.ArrayList<>(stream.decode("message_start", parse("""
                {"type":"message_start","message":{"id":"msg_3","model":"claude-haiku-4-5","content":[],
                 "usage":{"input_tokens":12,"cache_creation_input_tokens":3000,"cache_read_input_tokens":0,
                          "cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":3000},"output_tokens":1}}}""")));
        events.addAll(stream.decode("message_delta", parse("""
                {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":40}}""")));
        events.addAll(stream.decode("message_stop", parse("{\"type\":\"message_stop\"}")));
        assertEquals(new ChatEvent.Usage(new TokenUsage(3012, 0, 3000, 40, 0, 3000, 0, 0, 0)), events.get(events.size() - 1));

        var audio = OpenAiCodec.decodeResponse(parse("""
                {"id":"c1","model":"gpt-audio","choices":[{"index":0,"message":{"role":"assistant","content":null},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":1200,"completion_tokens":600,"total_tokens":1800,
                          "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":1000},
                          "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":500}}}"""));
        assertEquals(new TokenUsage(1200, 0, 0, 600, 0, 0, 1000, 0, 500), audio.usage());
        JsonNode openAi = OpenAiCodec.encodeResponse(audio, "gpt-audio", 0).get("usage");
        assertEquals(1000, openAi.get("prompt_tokens_details").get("audio_tokens").getLongValue());
        assertEquals(500, openAi.get("completion_tokens_details").get("audio_tokens").getLongValue());

        var gemini = new GeminiCodec(json).decodeResponse(parse("""
                {"candidates":[{"content":{"parts":[{"text":"ok"}],"role":"model"},"finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":5000,"candidatesTokenCount":300,"thoughtsTokenCount":200,"cachedContentTokenCount":2000,
                   "promptTokensDetails":[{"modality":"TEXT","tokenCount":1000},{"modality":"AUDIO","tokenCount":4000}],
                   "cacheTokensDetails":[{"modality":"TEXT","tokenCount":500},{"modality":"AUDIO","tokenCount":1500}]},
                 "modelVersion":"gemini-2.5-flash"}"""), "gemini-2.5-flash");
        assertEquals(new TokenUsage(5000, 2000, 0, 500, 200, 0, 4000, 1500, 0), gemini.usage());
    }

    @Test
    void anthropicCacheControlTtlReachesTheUpstreamRequest() throws Exception {
        AnthropicCodec codec = new AnthropicCodec(json);
        ChatRequest neutral = codec.decodeRequest(parse("""
                {"model":"claude-haiku-4-5","max_tokens":20,"messages":[{"role":"user","content":[
                  {"type":"text","text":"long document","cache_control":{"type":"ephemeral","ttl":"1h"}},
                  {"type":"text","text":"short note","cache_control":{"type":"ephemeral"}},
                  {"type":"text","text":"question"}]}]}"""), 1000);
        JsonNode blocks = codec.encodeRequest(neutral, 100).get("messages").get(0).get("content");
        assertEquals("1h", blocks.get(0).get("cache_control").get("ttl").getStringValue());
        assertEquals("5m", blocks.get(1).get("cache_control").get("ttl").getStringValue());
        assertNull(blocks.get(2).get("cache_control"));

        ApiException bad = assertThrows(ApiException.class, () -> codec.decodeRequest(parse("""
                {"model":"claude-haiku-4-5","max_tokens":20,"messages":[{"role":"user","content":[
                  {"type":"text","text":"x","cache_control":{"type":"ephemeral","ttl":"2h"}}]}]}"""), 1000));
        assertEquals(400, bad.status().getCode());
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
