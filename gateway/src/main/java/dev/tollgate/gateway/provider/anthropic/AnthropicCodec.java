package dev.tollgate.gateway.provider.anthropic;

import dev.tollgate.gateway.model.ChatEvent;
import dev.tollgate.gateway.model.ChatRequest;
import dev.tollgate.gateway.model.ChatResponse;
import dev.tollgate.gateway.model.Choice;
import dev.tollgate.gateway.model.FinishReason;
import dev.tollgate.gateway.model.Json;
import dev.tollgate.gateway.model.Message;
import dev.tollgate.gateway.model.Part;
import dev.tollgate.gateway.model.ResponseFormat;
import dev.tollgate.gateway.model.Role;
import dev.tollgate.gateway.model.Tool;
import dev.tollgate.gateway.model.ToolCall;
import dev.tollgate.gateway.model.ToolChoice;
import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.usage.TokenUsage;
import dev.tollgate.platform.usage.extract.UsageExtractors;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps Anthropic Messages JSON to the neutral model and back. Tool call arguments are JSON text
 * in the neutral model and JSON objects on Anthropic's wire, hence the {@link JsonMapper}.
 */
public final class AnthropicCodec {

    private final JsonMapper json;

    public AnthropicCodec(JsonMapper json) {
        this.json = json;
    }

    // ---------------------------------------------------------------- requests

    /** Decodes and validates a caller's Messages request. */
    public ChatRequest decodeRequest(JsonNode body, int maxTokensCeiling) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("the request body must be a JSON object", null);
        }
        JsonNode modelNode = body.get("model");
        if (modelNode == null || !modelNode.isString() || modelNode.getStringValue().isBlank()) {
            throw ApiException.badRequest("'model' must be a non-empty string", "model");
        }
        JsonNode maxTokens = body.get("max_tokens");
        if (maxTokens == null || !maxTokens.isNumber() || maxTokens.getDoubleValue() != Math.rint(maxTokens.getDoubleValue())) {
            throw ApiException.badRequest("'max_tokens' must be an integer", "max_tokens");
        }
        if (maxTokens.getDoubleValue() < 1 || maxTokens.getDoubleValue() > maxTokensCeiling) {
            throw ApiException.badRequest("'max_tokens' must be between 1 and " + maxTokensCeiling, "max_tokens");
        }
        JsonNode messagesNode = body.get("messages");
        if (messagesNode == null || !messagesNode.isArray() || messagesNode.size() == 0) {
            throw ApiException.badRequest("'messages' must be a non-empty array", "messages");
        }
        List<Message> messages = new ArrayList<>();
        JsonNode system = Json.field(body, "system");
        if (system != null) {
            String text = system.isString() ? system.getStringValue() : textOfBlocks(system, "system");
            messages.add(Message.text(Role.SYSTEM, text));
        }
        int i = 0;
        for (JsonNode m : messagesNode.values()) {
            decodeMessage(m, "messages[" + i++ + "]", messages);
        }
        List<Tool> tools = new ArrayList<>();
        int t = 0;
        for (JsonNode tool : Json.items(body, "tools")) {
            String name = Json.text(tool, "name");
            if (name == null) {
                throw ApiException.badRequest("a tool needs a 'name'", "tools[" + t + "].name");
            }
            t++;
            tools.add(new Tool(name, Json.text(tool, "description"), Json.field(tool, "input_schema")));
        }
        ToolChoice choice = null;
        JsonNode tc = Json.field(body, "tool_choice");
        if (tc != null) {
            String type = Json.text(tc, "type");
            choice = switch (type == null ? "" : type) {
                case "auto" -> ToolChoice.AUTO;
                case "any" -> new ToolChoice(ToolChoice.Mode.REQUIRED, null);
                case "none" -> new ToolChoice(ToolChoice.Mode.NONE, null);
                case "tool" -> new ToolChoice(ToolChoice.Mode.FUNCTION, Json.text(tc, "name"));
                default -> throw ApiException.badRequest("'tool_choice.type' must be auto, any, tool or none", "tool_choice.type");
            };
        }
        List<String> stop = new ArrayList<>();
        for (JsonNode s : Json.items(body, "stop_sequences")) {
            if (!s.isString()) {
                throw ApiException.badRequest("'stop_sequences' must be an array of strings", "stop_sequences");
            }
            stop.add(s.getStringValue());
        }
        Double temperature = number(body, "temperature", 0, 1);
        Double topP = number(body, "top_p", 0, 1);
        JsonNode stream = Json.field(body, "stream");
        if (stream != null && !stream.isBoolean()) {
            throw ApiException.badRequest("'stream' must be a boolean", "stream");
        }
        return new ChatRequest(modelNode.getStringValue(), messages, tools, choice, maxTokens.getIntValue(), temperature,
                topP, stop, 1, Json.text(Json.field(body, "metadata"), "user_id"), null,
                stream != null && stream.getBooleanValue(), Map.of());
    }

    private void decodeMessage(JsonNode m, String path, List<Message> out) {
        String roleName = Json.text(m, "role");
        Role role;
        if ("user".equals(roleName)) {
            role = Role.USER;
        } else if ("assistant".equals(roleName)) {
            role = Role.ASSISTANT;
        } else {
            throw ApiException.badRequest("'role' must be user or assistant", path + ".role");
        }
        JsonNode content = m.get("content");
        if (content != null && content.isString()) {
            out.add(Message.text(role, content.getStringValue()));
            return;
        }
        if (content == null || !content.isArray()) {
            throw ApiException.badRequest("'content' must be a string or an array of content blocks", path + ".content");
        }
        List<Part> parts = new ArrayList<>();
        List<ToolCall> calls = new ArrayList<>();
        int i = 0;
        for (JsonNode block : content.values()) {
            String p = path + ".content[" + i++ + "]";
            String type = String.valueOf(Json.text(block, "type"));
            switch (type) {
                case "text" -> parts.add(new Part.Text(String.valueOf(Json.text(block, "text")), cacheTtl(block, p)));
                case "image" -> parts.add(decodeImage(Json.field(block, "source"), p));
                case "tool_use" -> {
                    if (role != Role.ASSISTANT) {
                        throw ApiException.badRequest("tool_use blocks belong in assistant messages", p);
                    }
                    JsonNode input = Json.field(block, "input");
                    calls.add(new ToolCall(String.valueOf(Json.text(block, "id")), String.valueOf(Json.text(block, "name")),
                            input == null ? "{}" : write(input)));
                }
                case "tool_result" -> {
                    String id = Json.text(block, "tool_use_id");
                    if (id == null) {
                        throw ApiException.badRequest("a tool_result needs 'tool_use_id'", p + ".tool_use_id");
                    }
                    JsonNode result = Json.field(block, "content");
                    String text = result == null ? "" : result.isString() ? result.getStringValue() : textOfBlocks(result, p + ".content");
                    out.add(new Message(Role.TOOL, List.of(new Part.Text(text)), List.of(), id, null));
                }
                case "thinking", "redacted_thinking" -> {
                    // the neutral model carries no reasoning blocks; the upstream regenerates them
                }
                default -> throw ApiException.badRequest("content block type '" + type + "' is not supported", p + ".type");
            }
        }
        if (!parts.isEmpty() || !calls.isEmpty()) {
            out.add(new Message(role, parts, calls, null, null));
        }
    }

    /** The TTL of a block's {@code cache_control} breakpoint ({@code 5m} when not given), null without one. */
    @Nullable
    private static String cacheTtl(JsonNode block, String path) {
        JsonNode control = Json.field(block, "cache_control");
        if (control == null) {
            return null;
        }
        if (!"ephemeral".equals(Json.text(control, "type"))) {
            throw ApiException.badRequest("cache_control.type must be 'ephemeral'", path + ".cache_control.type");
        }
        String ttl = Json.text(control, "ttl");
        if (ttl == null) {
            return "5m";
        }
        if (!ttl.equals("5m") && !ttl.equals("1h")) {
            throw ApiException.badRequest("cache_control.ttl must be '5m' or '1h'", path + ".cache_control.ttl");
        }
        return ttl;
    }

    private static Part decodeImage(@Nullable JsonNode source, String path) {
        String type = Json.text(source, "type");
        if ("base64".equals(type) && Json.text(source, "media_type") != null && Json.text(source, "data") != null) {
            return new Part.Image("data:" + Json.text(source, "media_type") + ";base64," + Json.text(source, "data"), null);
        }
        if ("url".equals(type) && Json.text(source, "url") != null) {
            return new Part.Image(Json.text(source, "url"), null);
        }
        throw ApiException.badRequest("an image needs a base64 or url 'source'", path + ".source");
    }

    private static String textOfBlocks(JsonNode blocks, String path) {
        if (!blocks.isArray()) {
            throw ApiException.badRequest("expected a string or an array of text blocks", path);
        }
        StringBuilder b = new StringBuilder();
        for (JsonNode block : blocks.values()) {
            String text = Json.text(block, "text");
            if (text != null) {
                b.append(b.isEmpty() ? "" : "\n").append(text);
            }
        }
        return b.toString();
    }

    @Nullable
    private static Double number(JsonNode body, String field, double min, double max) {
        JsonNode v = Json.field(body, field);
        if (v == null) {
            return null;
        }
        if (!v.isNumber() || v.getDoubleValue() < min || v.getDoubleValue() > max) {
            throw ApiException.badRequest("'" + field + "' must be a number between " + min + " and " + max, field);
        }
        return v.getDoubleValue();
    }

    /** Encodes a neutral request for Anthropic; {@code defaultMaxTokens} fills Anthropic's required field. */
    public JsonNode encodeRequest(ChatRequest r, int defaultMaxTokens) {
        StringBuilder system = new StringBuilder();
        List<JsonNode> messages = new ArrayList<>();
        List<JsonNode> pendingUser = new ArrayList<>();
        for (Message m : r.messages()) {
            switch (m.role()) {
                case SYSTEM -> system.append(system.isEmpty() ? "" : "\n\n").append(m.text());
                case TOOL -> pendingUser.add(Json.obj().put("type", "tool_result").put("tool_use_id", m.toolCallId())
                        .put("content", m.text()).build());
                case USER -> pendingUser.addAll(blocks(m));
                case ASSISTANT -> {
                    flushUser(messages, pendingUser);
                    List<JsonNode> blocks = blocks(m);
                    for (ToolCall c : m.toolCalls()) {
                        blocks.add(Json.obj().put("type", "tool_use").put("id", c.id()).put("name", c.name())
                                .put("input", parseObject(c.arguments())).build());
                    }
                    if (blocks.isEmpty()) {
                        blocks.add(Json.obj().put("type", "text").put("text", "").build());
                    }
                    messages.add(Json.obj().put("role", "assistant").put("content", Json.arr(blocks)).build());
                }
            }
        }
        flushUser(messages, pendingUser);
        if (r.responseFormat() != null && r.responseFormat().type() != ResponseFormat.Type.TEXT) {
            // Anthropic has no JSON mode: the instruction is the portable way to ask for it
            system.append(system.isEmpty() ? "" : "\n\n").append("Respond with a single JSON object and nothing else.");
            if (r.responseFormat().schema() != null) {
                system.append(" It must follow this JSON Schema: ").append(write(r.responseFormat().schema()));
            }
        }
        Json.Obj o = Json.obj().put("model", r.model())
                .put("max_tokens", r.maxTokens() != null ? r.maxTokens() : defaultMaxTokens);
        if (!system.isEmpty()) {
            o.put("system", system.toString());
        }
        o.put("messages", Json.arr(messages));
        if (!r.tools().isEmpty()) {
            List<JsonNode> tools = new ArrayList<>();
            for (Tool t : r.tools()) {
                tools.add(Json.obj().put("name", t.name()).put("description", t.description())
                        .put("input_schema", t.parameters() != null ? t.parameters()
                                : Json.obj().put("type", "object").put("properties", Json.obj().build()).build())
                        .build());
            }
            o.put("tools", Json.arr(tools));
        }
        if (r.toolChoice() != null && !r.tools().isEmpty()) {
            o.put("tool_choice", switch (r.toolChoice().mode()) {
                case AUTO -> Json.obj().put("type", "auto").build();
                case NONE -> Json.obj().put("type", "none").build();
                case REQUIRED -> Json.obj().put("type", "any").build();
                case FUNCTION -> Json.obj().put("type", "tool").put("name", r.toolChoice().name()).build();
            });
        }
        if (r.temperature() != null) {
            o.put("temperature", Math.min(1.0, r.temperature()));
        }
        o.put("top_p", r.topP());
        if (!r.stop().isEmpty()) {
            o.put("stop_sequences", Json.strings(r.stop()));
        }
        if (r.user() != null) {
            o.put("metadata", Json.obj().put("user_id", r.user()).build());
        }
        if (r.stream()) {
            o.put("stream", true);
        }
        return o.build();
    }

    private static void flushUser(List<JsonNode> messages, List<JsonNode> pending) {
        if (!pending.isEmpty()) {
            messages.add(Json.obj().put("role", "user").put("content", Json.arr(new ArrayList<>(pending))).build());
            pending.clear();
        }
    }

    private static List<JsonNode> blocks(Message m) {
        List<JsonNode> out = new ArrayList<>();
        for (Part p : m.content()) {
            if (p instanceof Part.Text t) {
                if (!t.text().isEmpty()) {
                    Json.Obj block = Json.obj().put("type", "text").put("text", t.text());
                    if (t.cacheTtl() != null) {
                        block.put("cache_control", Json.obj().put("type", "ephemeral").put("ttl", t.cacheTtl()).build());
                    }
                    out.add(block.build());
                }
            } else if (p instanceof Part.Image img) {
                JsonNode source = img.inline()
                        ? Json.obj().put("type", "base64").put("media_type", img.mediaType()).put("data", img.base64Data()).build()
                        : Json.obj().put("type", "url").put("url", img.url()).build();
                out.add(Json.obj().put("type", "image").put("source", source).build());
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- responses

    /** Decodes an upstream Messages response. */
    public ChatResponse decodeResponse(JsonNode body) {
        List<Part> parts = new ArrayList<>();
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode block : Json.items(body, "content")) {
            String type = Json.text(block, "type");
            if ("text".equals(type)) {
                parts.add(new Part.Text(String.valueOf(Json.text(block, "text"))));
            } else if ("tool_use".equals(type)) {
                JsonNode input = Json.field(block, "input");
                calls.add(new ToolCall(String.valueOf(Json.text(block, "id")), String.valueOf(Json.text(block, "name")),
                        input == null ? "{}" : write(input)));
            }
        }
        Message message = new Message(Role.ASSISTANT, parts, calls, null, null);
        return new ChatResponse(String.valueOf(Json.text(body, "id")), String.valueOf(Json.text(body, "model")),
                List.of(new Choice(0, message, stopReason(Json.text(body, "stop_reason")))), usage(Json.field(body, "usage"), 0));
    }

    /** Encodes a neutral answer as a caller's Messages response (first choice). */
    public JsonNode encodeResponse(ChatResponse r, String model) {
        Choice choice = r.choices().isEmpty() ? null : r.choices().get(0);
        List<JsonNode> content = new ArrayList<>();
        if (choice != null) {
            for (Part p : choice.message().content()) {
                if (p instanceof Part.Text t) {
                    content.add(Json.obj().put("type", "text").put("text", t.text()).build());
                }
            }
            for (ToolCall c : choice.message().toolCalls()) {
                content.add(Json.obj().put("type", "tool_use").put("id", c.id()).put("name", c.name())
                        .put("input", parseObject(c.arguments())).build());
            }
        }
        Json.Obj o = Json.obj().put("id", r.id()).put("type", "message").put("role", "assistant").put("model", model)
                .put("content", Json.arr(content));
        if (choice == null || choice.finishReason() == null) {
            o.putNull("stop_reason");
        } else {
            o.put("stop_reason", stopReasonName(choice.finishReason()));
        }
        return o.putNull("stop_sequence").put("usage", encodeUsage(r.usage() == null ? TokenUsage.ZERO : r.usage())).build();
    }

    /** Anthropic's usage object: {@code input_tokens} there excludes cache reads and writes. */
    public static JsonNode encodeUsage(TokenUsage u) {
        return Json.obj().put("input_tokens", Math.max(0, u.inputTokens() - u.cachedInputTokens() - u.cacheWriteTokens()))
                .put("cache_creation_input_tokens", u.cacheWriteTokens())
                .put("cache_read_input_tokens", u.cachedInputTokens())
                .put("cache_creation", Json.obj().put("ephemeral_5m_input_tokens", u.cacheWrite5mTokens())
                        .put("ephemeral_1h_input_tokens", u.cacheWrite1hTokens()).build())
                .put("output_tokens", u.outputTokens()).build();
    }

    /**
     * Reads Anthropic's usage with the shared extractor (cache writes split by TTL);
     * {@code outputOverride} replaces a missing output count.
     */
    @Nullable
    static TokenUsage usage(@Nullable JsonNode u, long outputOverride) {
        if (u == null) {
            return null;
        }
        TokenUsage usage = UsageExtractors.bundled().tokenUsage("anthropic", "default", u);
        return Json.field(u, "output_tokens") == null ? usage.withOutputTokens(outputOverride) : usage;
    }

    @Nullable
    static FinishReason stopReason(@Nullable String name) {
        if (name == null) {
            return null;
        }
        return switch (name) {
            case "max_tokens" -> FinishReason.LENGTH;
            case "tool_use" -> FinishReason.TOOL_CALLS;
            case "refusal" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP;
        };
    }

    static String stopReasonName(FinishReason reason) {
        return switch (reason) {
            case LENGTH -> "max_tokens";
            case TOOL_CALLS -> "tool_use";
            case CONTENT_FILTER -> "refusal";
            case STOP, ERROR -> "end_turn";
        };
    }

    JsonNode parseObject(String text) {
        try {
            JsonNode node = json.readValue(text, JsonNode.class);
            return node != null && node.isObject() ? node : Json.obj().build();
        } catch (IOException | RuntimeException e) {
            return Json.obj().build();
        }
    }

    String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode JSON", e);
        }
    }

    // ---------------------------------------------------------------- streams

    /** Turns upstream Messages stream events into neutral events; one per stream. */
    public static final class StreamDecoder {

        private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
        private JsonNode startUsage;
        private long outputTokens;
        private boolean sawUsage;

        public List<ChatEvent> decode(String type, JsonNode data) {
            List<ChatEvent> out = new ArrayList<>(1);
            switch (type) {
                case "message_start" -> {
                    JsonNode message = Json.field(data, "message");
                    startUsage = Json.field(message, "usage");
                    out.add(new ChatEvent.Start(String.valueOf(Json.text(message, "id")), String.valueOf(Json.text(message, "model"))));
                }
                case "content_block_start" -> {
                    int index = (int) Json.number(data, "index", 0);
                    JsonNode block = Json.field(data, "content_block");
                    String blockType = Json.text(block, "type");
                    if ("tool_use".equals(blockType)) {
                        int call = toolIndexByBlock.size();
                        toolIndexByBlock.put(index, call);
                        out.add(new ChatEvent.ToolCallDelta(0, call, Json.text(block, "id"), Json.text(block, "name"), ""));
                    } else if ("text".equals(blockType)) {
                        String text = Json.text(block, "text");
                        if (text != null && !text.isEmpty()) {
                            out.add(new ChatEvent.TextDelta(0, text));
                        }
                    }
                }
                case "content_block_delta" -> {
                    JsonNode delta = Json.field(data, "delta");
                    String deltaType = Json.text(delta, "type");
                    if ("text_delta".equals(deltaType)) {
                        out.add(new ChatEvent.TextDelta(0, String.valueOf(Json.text(delta, "text"))));
                    } else if ("input_json_delta".equals(deltaType)) {
                        Integer call = toolIndexByBlock.get((int) Json.number(data, "index", 0));
                        String partial = Json.text(delta, "partial_json");
                        if (call != null && partial != null && !partial.isEmpty()) {
                            out.add(new ChatEvent.ToolCallDelta(0, call, null, null, partial));
                        }
                    }
                }
                case "message_delta" -> {
                    FinishReason reason = stopReason(Json.text(Json.field(data, "delta"), "stop_reason"));
                    JsonNode usage = Json.field(data, "usage");
                    if (usage != null) {
                        sawUsage = true;
                        outputTokens = Json.number(usage, "output_tokens", outputTokens);
                    }
                    if (reason != null) {
                        out.add(new ChatEvent.Finish(0, reason));
                    }
                }
                case "message_stop" -> {
                    if (sawUsage || startUsage != null) {
                        TokenUsage input = usage(startUsage == null ? Json.obj().build() : startUsage, 0);
                        out.add(new ChatEvent.Usage(input.withOutputTokens(outputTokens)));
                    }
                }
                default -> {
                    // ping and unknown future events carry nothing the neutral model needs
                }
            }
            return out;
        }
    }

    /** One outgoing stream event: its {@code event:} name and JSON data. */
    public record Event(String name, JsonNode data) {
    }

    /** Turns neutral events into a caller's Messages stream events; one per stream. */
    public static final class StreamEncoder {

        private final String model;
        private final Map<Integer, Integer> blockByToolIndex = new HashMap<>();
        private int nextBlock;
        private int openBlock = -1;
        private boolean openIsText;
        private boolean started;
        private FinishReason stop;
        private TokenUsage usage;

        public StreamEncoder(String model) {
            this.model = model;
        }

        public List<Event> encode(ChatEvent event) {
            List<Event> out = new ArrayList<>(2);
            if (event instanceof ChatEvent.Start s) {
                start(out, s.id());
            } else if (event instanceof ChatEvent.TextDelta t && t.choice() == 0) {
                start(out, "msg_tollgate");
                if (openBlock < 0 || !openIsText) {
                    close(out);
                    openBlock = nextBlock++;
                    openIsText = true;
                    out.add(event("content_block_start", Json.obj().put("type", "content_block_start").put("index", openBlock)
                            .put("content_block", Json.obj().put("type", "text").put("text", "").build()).build()));
                }
                out.add(event("content_block_delta", Json.obj().put("type", "content_block_delta").put("index", openBlock)
                        .put("delta", Json.obj().put("type", "text_delta").put("text", t.text()).build()).build()));
            } else if (event instanceof ChatEvent.ToolCallDelta t && t.choice() == 0) {
                start(out, "msg_tollgate");
                if (t.id() != null || !blockByToolIndex.containsKey(t.index())) {
                    close(out);
                    openBlock = nextBlock++;
                    openIsText = false;
                    blockByToolIndex.put(t.index(), openBlock);
                    out.add(event("content_block_start", Json.obj().put("type", "content_block_start").put("index", openBlock)
                            .put("content_block", Json.obj().put("type", "tool_use").put("id", t.id() == null ? "toolu_" + t.index() : t.id())
                                    .put("name", t.name() == null ? "" : t.name()).put("input", Json.obj().build()).build()).build()));
                }
                if (!t.argumentsDelta().isEmpty()) {
                    out.add(event("content_block_delta", Json.obj().put("type", "content_block_delta")
                            .put("index", blockByToolIndex.get(t.index()))
                            .put("delta", Json.obj().put("type", "input_json_delta").put("partial_json", t.argumentsDelta()).build())
                            .build()));
                }
            } else if (event instanceof ChatEvent.Finish f && f.choice() == 0) {
                close(out);
                stop = f.reason();
            } else if (event instanceof ChatEvent.Usage u) {
                usage = u.usage();
            }
            return out;
        }

        /** The closing events once the upstream stream completed. */
        public List<Event> finish() {
            List<Event> out = new ArrayList<>(3);
            start(out, "msg_tollgate");
            close(out);
            TokenUsage u = usage == null ? TokenUsage.ZERO : usage;
            Json.Obj delta = Json.obj().put("stop_reason", stopReasonName(stop == null ? FinishReason.STOP : stop)).putNull("stop_sequence");
            out.add(event("message_delta", Json.obj().put("type", "message_delta").put("delta", delta.build())
                    .put("usage", encodeUsage(u)).build()));
            out.add(event("message_stop", Json.obj().put("type", "message_stop").build()));
            return out;
        }

        private void start(List<Event> out, String id) {
            if (started) {
                return;
            }
            started = true;
            JsonNode message = Json.obj().put("id", id).put("type", "message").put("role", "assistant").put("model", model)
                    .put("content", Json.arr(List.of())).putNull("stop_reason").putNull("stop_sequence")
                    .put("usage", Json.obj().put("input_tokens", 0).put("output_tokens", 0).build()).build();
            out.add(event("message_start", Json.obj().put("type", "message_start").put("message", message).build()));
        }

        private void close(List<Event> out) {
            if (openBlock >= 0) {
                out.add(event("content_block_stop", Json.obj().put("type", "content_block_stop").put("index", openBlock).build()));
                openBlock = -1;
            }
        }

        private static Event event(String name, JsonNode data) {
            return new Event(name, data);
        }
    }
}
