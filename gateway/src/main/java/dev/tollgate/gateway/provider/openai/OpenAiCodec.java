package dev.tollgate.gateway.provider.openai;

import dev.tollgate.gateway.model.ChatEvent;
import dev.tollgate.gateway.model.ChatRequest;
import dev.tollgate.gateway.model.ChatResponse;
import dev.tollgate.gateway.model.Choice;
import dev.tollgate.gateway.model.EmbeddingRequest;
import dev.tollgate.gateway.model.EmbeddingResponse;
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
import io.micronaut.json.tree.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps OpenAI's Chat Completions and Embeddings JSON to the neutral model and back. Decoding a
 * caller's request validates it and throws {@link ApiException} (400, with the offending
 * {@code param}) for anything OpenAI itself would reject as malformed.
 */
public final class OpenAiCodec {

    /** Fields read into the neutral model; all others go to {@link ChatRequest#extra()}. */
    private static final Set<String> CHAT_FIELDS = Set.of("model", "messages", "tools", "tool_choice", "max_tokens",
            "max_completion_tokens", "temperature", "top_p", "stop", "n", "user", "response_format", "stream",
            "stream_options", "functions", "function_call");

    private OpenAiCodec() {
    }

    /** A decoded caller request and whether the caller asked for the usage chunk of a stream. */
    public record Inbound(ChatRequest request, boolean includeUsage) {
    }

    // ---------------------------------------------------------------- requests

    /** Decodes and validates a caller's chat request; {@code maxTokensCeiling} bounds {@code max_tokens}. */
    public static Inbound decodeRequest(JsonNode body, int maxTokensCeiling) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("the request body must be a JSON object", null);
        }
        String model = requiredString(body, "model");
        JsonNode messagesNode = body.get("messages");
        if (messagesNode == null || messagesNode.isNull()) {
            throw ApiException.badRequest("you must provide 'messages'", "messages");
        }
        if (!messagesNode.isArray() || messagesNode.size() == 0) {
            throw ApiException.badRequest("'messages' must be a non-empty array", "messages");
        }
        List<Message> messages = new ArrayList<>();
        int i = 0;
        for (JsonNode m : messagesNode.values()) {
            messages.add(decodeMessage(m, "messages[" + i++ + "]"));
        }
        List<Tool> tools = decodeTools(body);
        ToolChoice toolChoice = decodeToolChoice(Json.field(body, "tool_choice"));
        Integer maxTokens = optionalInt(body, "max_completion_tokens", 1, maxTokensCeiling);
        if (maxTokens == null) {
            maxTokens = optionalInt(body, "max_tokens", 1, maxTokensCeiling);
        }
        Double temperature = optionalNumber(body, "temperature", 0, 2);
        Double topP = optionalNumber(body, "top_p", 0, 1);
        List<String> stop = decodeStop(Json.field(body, "stop"));
        Integer n = optionalInt(body, "n", 1, 128);
        String user = optionalString(body, "user");
        ResponseFormat format = decodeResponseFormat(Json.field(body, "response_format"));
        boolean stream = optionalBoolean(body, "stream");
        JsonNode streamOptions = Json.field(body, "stream_options");
        if (streamOptions != null && !streamOptions.isObject()) {
            throw ApiException.badRequest("'stream_options' must be an object", "stream_options");
        }
        boolean includeUsage = streamOptions != null && optionalBoolean(streamOptions, "include_usage");
        Map<String, JsonNode> extra = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : body.entries()) {
            if (!CHAT_FIELDS.contains(e.getKey()) && !e.getValue().isNull()) {
                extra.put(e.getKey(), e.getValue());
            }
        }
        return new Inbound(new ChatRequest(model, messages, tools, toolChoice, maxTokens, temperature, topP, stop,
                n == null ? 1 : n, user, format, stream, extra), includeUsage);
    }

    private static Message decodeMessage(JsonNode m, String path) {
        if (m == null || !m.isObject()) {
            throw ApiException.badRequest("each message must be an object", path);
        }
        String roleName = Json.text(m, "role");
        if (roleName == null) {
            throw ApiException.badRequest("each message needs a string 'role'", path + ".role");
        }
        Role role = switch (roleName) {
            case "system", "developer" -> Role.SYSTEM;
            case "user" -> Role.USER;
            case "assistant" -> Role.ASSISTANT;
            case "tool" -> Role.TOOL;
            default -> throw ApiException.badRequest("unknown role '" + roleName
                    + "' (system, developer, user, assistant, tool)", path + ".role");
        };
        List<Part> parts = decodeContent(m.get("content"), path + ".content", role);
        List<ToolCall> calls = new ArrayList<>();
        JsonNode toolCalls = Json.field(m, "tool_calls");
        if (toolCalls != null) {
            if (role != Role.ASSISTANT || !toolCalls.isArray()) {
                throw ApiException.badRequest("'tool_calls' must be an array on an assistant message", path + ".tool_calls");
            }
            int j = 0;
            for (JsonNode c : toolCalls.values()) {
                String p = path + ".tool_calls[" + j++ + "]";
                JsonNode fn = Json.field(c, "function");
                String id = Json.text(c, "id");
                String name = Json.text(fn, "name");
                if (id == null || name == null) {
                    throw ApiException.badRequest("a tool call needs 'id' and 'function.name'", p);
                }
                String args = Json.text(fn, "arguments");
                calls.add(new ToolCall(id, name, args == null ? "{}" : args));
            }
        }
        String toolCallId = Json.text(m, "tool_call_id");
        if (role == Role.TOOL && toolCallId == null) {
            throw ApiException.badRequest("a tool message needs 'tool_call_id'", path + ".tool_call_id");
        }
        if (parts.isEmpty() && calls.isEmpty() && role != Role.ASSISTANT) {
            throw ApiException.badRequest("a " + roleName + " message needs 'content'", path + ".content");
        }
        return new Message(role, parts, calls, toolCallId, optionalString(m, "name"));
    }

    private static List<Part> decodeContent(@Nullable JsonNode content, String path, Role role) {
        List<Part> parts = new ArrayList<>();
        if (content == null || content.isNull()) {
            return parts;
        }
        if (content.isString()) {
            parts.add(new Part.Text(content.getStringValue()));
            return parts;
        }
        if (!content.isArray()) {
            throw ApiException.badRequest("'content' must be a string or an array of content parts", path);
        }
        int i = 0;
        for (JsonNode part : content.values()) {
            String p = path + "[" + i++ + "]";
            String type = Json.text(part, "type");
            if ("text".equals(type)) {
                String text = Json.text(part, "text");
                if (text == null) {
                    throw ApiException.badRequest("a text part needs a string 'text'", p + ".text");
                }
                parts.add(new Part.Text(text));
            } else if ("image_url".equals(type)) {
                if (role != Role.USER) {
                    throw ApiException.badRequest("image parts are only allowed in user messages", p);
                }
                JsonNode image = Json.field(part, "image_url");
                String url = image != null && image.isString() ? image.getStringValue() : Json.text(image, "url");
                if (url == null || url.isBlank()) {
                    throw ApiException.badRequest("an image part needs 'image_url.url'", p + ".image_url");
                }
                if (!(url.startsWith("https://") || url.startsWith("http://") || url.startsWith("data:image/"))) {
                    throw ApiException.badRequest("'image_url.url' must be an http(s) URL or a data:image/… URL", p + ".image_url.url");
                }
                parts.add(new Part.Image(url, Json.text(image, "detail")));
            } else if ("refusal".equals(type)) {
                String refusal = Json.text(part, "refusal");
                parts.add(new Part.Text(refusal == null ? "" : refusal));
            } else {
                throw ApiException.badRequest("content part type '" + type + "' is not supported (text, image_url)", p + ".type");
            }
        }
        return parts;
    }

    private static List<Tool> decodeTools(JsonNode body) {
        JsonNode tools = Json.field(body, "tools");
        List<Tool> out = new ArrayList<>();
        if (tools == null) {
            return out;
        }
        if (!tools.isArray()) {
            throw ApiException.badRequest("'tools' must be an array", "tools");
        }
        int i = 0;
        for (JsonNode t : tools.values()) {
            String p = "tools[" + i++ + "]";
            if (!"function".equals(Json.text(t, "type"))) {
                throw ApiException.badRequest("only tools of type 'function' are supported", p + ".type");
            }
            JsonNode fn = Json.field(t, "function");
            String name = Json.text(fn, "name");
            if (name == null || name.isBlank()) {
                throw ApiException.badRequest("a function tool needs 'function.name'", p + ".function.name");
            }
            JsonNode params = Json.field(fn, "parameters");
            if (params != null && !params.isObject()) {
                throw ApiException.badRequest("'function.parameters' must be a JSON Schema object", p + ".function.parameters");
            }
            out.add(new Tool(name, Json.text(fn, "description"), params));
        }
        return out;
    }

    @Nullable
    private static ToolChoice decodeToolChoice(@Nullable JsonNode choice) {
        if (choice == null) {
            return null;
        }
        if (choice.isString()) {
            return switch (choice.getStringValue()) {
                case "auto" -> ToolChoice.AUTO;
                case "none" -> new ToolChoice(ToolChoice.Mode.NONE, null);
                case "required" -> new ToolChoice(ToolChoice.Mode.REQUIRED, null);
                default -> throw ApiException.badRequest("'tool_choice' must be none, auto, required or a function", "tool_choice");
            };
        }
        String name = Json.text(Json.field(choice, "function"), "name");
        if (name == null) {
            throw ApiException.badRequest("'tool_choice' must be none, auto, required or a function", "tool_choice");
        }
        return new ToolChoice(ToolChoice.Mode.FUNCTION, name);
    }

    private static List<String> decodeStop(@Nullable JsonNode stop) {
        List<String> out = new ArrayList<>();
        if (stop == null) {
            return out;
        }
        if (stop.isString()) {
            out.add(stop.getStringValue());
            return out;
        }
        if (!stop.isArray() || stop.size() > 4) {
            throw ApiException.badRequest("'stop' must be a string or an array of up to 4 strings", "stop");
        }
        for (JsonNode s : stop.values()) {
            if (!s.isString()) {
                throw ApiException.badRequest("'stop' must be a string or an array of up to 4 strings", "stop");
            }
            out.add(s.getStringValue());
        }
        return out;
    }

    @Nullable
    private static ResponseFormat decodeResponseFormat(@Nullable JsonNode format) {
        if (format == null) {
            return null;
        }
        String type = Json.text(format, "type");
        if ("text".equals(type)) {
            return new ResponseFormat(ResponseFormat.Type.TEXT, null, null, false);
        }
        if ("json_object".equals(type)) {
            return new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null, null, false);
        }
        if ("json_schema".equals(type)) {
            JsonNode spec = Json.field(format, "json_schema");
            String name = Json.text(spec, "name");
            JsonNode schema = Json.field(spec, "schema");
            if (name == null || (schema != null && !schema.isObject())) {
                throw ApiException.badRequest("'response_format.json_schema' needs a 'name' and an object 'schema'",
                        "response_format.json_schema");
            }
            JsonNode strict = Json.field(spec, "strict");
            return new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, name, schema,
                    strict != null && strict.isBoolean() && strict.getBooleanValue());
        }
        throw ApiException.badRequest("'response_format.type' must be text, json_object or json_schema", "response_format.type");
    }

    /** Encodes a neutral request for an OpenAI-compatible upstream; streams always ask for usage. */
    public static JsonNode encodeRequest(ChatRequest r) {
        Json.Obj o = Json.obj().put("model", r.model());
        List<JsonNode> messages = new ArrayList<>();
        for (Message m : r.messages()) {
            messages.add(encodeMessage(m));
        }
        o.put("messages", Json.arr(messages));
        if (!r.tools().isEmpty()) {
            List<JsonNode> tools = new ArrayList<>();
            for (Tool t : r.tools()) {
                tools.add(Json.obj().put("type", "function").put("function", Json.obj()
                        .put("name", t.name()).put("description", t.description()).put("parameters", t.parameters())
                        .build()).build());
            }
            o.put("tools", Json.arr(tools));
        }
        if (r.toolChoice() != null) {
            o.put("tool_choice", switch (r.toolChoice().mode()) {
                case AUTO -> Json.str("auto");
                case NONE -> Json.str("none");
                case REQUIRED -> Json.str("required");
                case FUNCTION -> Json.obj().put("type", "function")
                        .put("function", Json.obj().put("name", r.toolChoice().name()).build()).build();
            });
        }
        if (r.maxTokens() != null) {
            o.put(usesCompletionTokens(r.model()) ? "max_completion_tokens" : "max_tokens", r.maxTokens());
        }
        o.put("temperature", r.temperature()).put("top_p", r.topP());
        if (!r.stop().isEmpty()) {
            o.put("stop", Json.strings(r.stop()));
        }
        if (r.n() != 1) {
            o.put("n", r.n());
        }
        o.put("user", r.user());
        if (r.responseFormat() != null) {
            o.put("response_format", encodeResponseFormat(r.responseFormat()));
        }
        r.extra().forEach(o::put);
        if (r.stream()) {
            o.put("stream", true).put("stream_options", Json.obj().put("include_usage", true).build());
        }
        return o.build();
    }

    private static boolean usesCompletionTokens(String model) {
        return model.matches("o\\d.*") || model.startsWith("gpt-5");
    }

    private static JsonNode encodeResponseFormat(ResponseFormat f) {
        return switch (f.type()) {
            case TEXT -> Json.obj().put("type", "text").build();
            case JSON_OBJECT -> Json.obj().put("type", "json_object").build();
            case JSON_SCHEMA -> Json.obj().put("type", "json_schema").put("json_schema", Json.obj()
                    .put("name", f.name()).put("schema", f.schema()).put("strict", f.strict()).build()).build();
        };
    }

    private static JsonNode encodeMessage(Message m) {
        Json.Obj o = Json.obj().put("role", switch (m.role()) {
            case SYSTEM -> "system";
            case USER -> "user";
            case ASSISTANT -> "assistant";
            case TOOL -> "tool";
        });
        boolean onlyText = m.content().stream().allMatch(p -> p instanceof Part.Text);
        if (m.content().isEmpty()) {
            if (m.role() == Role.ASSISTANT) {
                o.putNull("content");
            } else {
                o.put("content", "");
            }
        } else if (onlyText) {
            o.put("content", m.text());
        } else {
            List<JsonNode> parts = new ArrayList<>();
            for (Part p : m.content()) {
                if (p instanceof Part.Text t) {
                    parts.add(Json.obj().put("type", "text").put("text", t.text()).build());
                } else if (p instanceof Part.Image img) {
                    parts.add(Json.obj().put("type", "image_url").put("image_url",
                            Json.obj().put("url", img.url()).put("detail", img.detail()).build()).build());
                }
            }
            o.put("content", Json.arr(parts));
        }
        if (!m.toolCalls().isEmpty()) {
            List<JsonNode> calls = new ArrayList<>();
            for (ToolCall c : m.toolCalls()) {
                calls.add(Json.obj().put("id", c.id()).put("type", "function").put("function",
                        Json.obj().put("name", c.name()).put("arguments", c.arguments()).build()).build());
            }
            o.put("tool_calls", Json.arr(calls));
        }
        o.put("tool_call_id", m.toolCallId()).put("name", m.name());
        return o.build();
    }

    // ---------------------------------------------------------------- responses

    /** Decodes an upstream chat completion. */
    public static ChatResponse decodeResponse(JsonNode body) {
        List<Choice> choices = new ArrayList<>();
        for (JsonNode c : Json.items(body, "choices")) {
            JsonNode message = Json.field(c, "message");
            String content = Json.text(message, "content");
            if (content == null) {
                content = Json.text(message, "refusal");
            }
            List<Part> parts = content == null ? List.of() : List.of(new Part.Text(content));
            List<ToolCall> calls = new ArrayList<>();
            for (JsonNode call : Json.items(message, "tool_calls")) {
                JsonNode fn = Json.field(call, "function");
                calls.add(new ToolCall(String.valueOf(Json.text(call, "id")), String.valueOf(Json.text(fn, "name")),
                        Json.text(fn, "arguments") == null ? "{}" : Json.text(fn, "arguments")));
            }
            choices.add(new Choice((int) Json.number(c, "index", choices.size()),
                    new Message(Role.ASSISTANT, parts, calls, null, null), finishReason(Json.text(c, "finish_reason"))));
        }
        return new ChatResponse(String.valueOf(Json.text(body, "id")), String.valueOf(Json.text(body, "model")),
                choices, usage(Json.field(body, "usage")));
    }

    /** Encodes a neutral answer as a caller's chat completion. */
    public static JsonNode encodeResponse(ChatResponse r, String model, long created) {
        List<JsonNode> choices = new ArrayList<>();
        for (Choice c : r.choices()) {
            Message m = c.message();
            Json.Obj message = Json.obj().put("role", "assistant");
            if (m.content().isEmpty()) {
                message.putNull("content");
            } else {
                message.put("content", m.text());
            }
            message.putNull("refusal");
            if (!m.toolCalls().isEmpty()) {
                List<JsonNode> calls = new ArrayList<>();
                for (ToolCall call : m.toolCalls()) {
                    calls.add(Json.obj().put("id", call.id()).put("type", "function").put("function",
                            Json.obj().put("name", call.name()).put("arguments", call.arguments()).build()).build());
                }
                message.put("tool_calls", Json.arr(calls));
            }
            Json.Obj choice = Json.obj().put("index", c.index()).put("message", message.build()).putNull("logprobs");
            if (c.finishReason() == null) {
                choice.putNull("finish_reason");
            } else {
                choice.put("finish_reason", finishReasonName(c.finishReason()));
            }
            choices.add(choice.build());
        }
        return Json.obj().put("id", r.id()).put("object", "chat.completion").put("created", created)
                .put("model", model).put("choices", Json.arr(choices))
                .put("usage", encodeUsage(r.usage() == null ? TokenUsage.ZERO : r.usage())).build();
    }

    /** OpenAI's usage object. */
    public static JsonNode encodeUsage(TokenUsage u) {
        return Json.obj().put("prompt_tokens", u.inputTokens()).put("completion_tokens", u.outputTokens())
                .put("total_tokens", u.totalTokens())
                .put("prompt_tokens_details", Json.obj().put("cached_tokens", u.cachedInputTokens())
                        .put("audio_tokens", u.inputAudioTokens()).build())
                .put("completion_tokens_details", Json.obj().put("reasoning_tokens", u.reasoningTokens())
                        .put("audio_tokens", u.outputAudioTokens()).build())
                .build();
    }

    /** Reads OpenAI's usage object with the shared extractor (null stays null). */
    @Nullable
    public static TokenUsage usage(@Nullable JsonNode u) {
        if (u == null || !u.isObject()) {
            return null;
        }
        return UsageExtractors.bundled().tokenUsage("openai", "chat", u);
    }

    @Nullable
    static FinishReason finishReason(@Nullable String name) {
        if (name == null) {
            return null;
        }
        return switch (name) {
            case "stop" -> FinishReason.STOP;
            case "length" -> FinishReason.LENGTH;
            case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP;
        };
    }

    public static String finishReasonName(FinishReason reason) {
        return switch (reason) {
            case STOP, ERROR -> "stop";
            case LENGTH -> "length";
            case TOOL_CALLS -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
        };
    }

    // ---------------------------------------------------------------- streams

    /** Turns upstream chunks into neutral events; one decoder per stream. */
    public static final class StreamDecoder {

        private boolean started;

        /** The events of one {@code data:} payload ({@code [DONE]} yields none). */
        public List<ChatEvent> decode(JsonNode chunk) {
            List<ChatEvent> out = new ArrayList<>(2);
            if (!started) {
                started = true;
                out.add(new ChatEvent.Start(String.valueOf(Json.text(chunk, "id")), String.valueOf(Json.text(chunk, "model"))));
            }
            for (JsonNode c : Json.items(chunk, "choices")) {
                int index = (int) Json.number(c, "index", 0);
                JsonNode delta = Json.field(c, "delta");
                String content = Json.text(delta, "content");
                if (content != null && !content.isEmpty()) {
                    out.add(new ChatEvent.TextDelta(index, content));
                }
                for (JsonNode call : Json.items(delta, "tool_calls")) {
                    JsonNode fn = Json.field(call, "function");
                    String args = Json.text(fn, "arguments");
                    out.add(new ChatEvent.ToolCallDelta(index, (int) Json.number(call, "index", 0), Json.text(call, "id"),
                            Json.text(fn, "name"), args == null ? "" : args));
                }
                FinishReason finish = finishReason(Json.text(c, "finish_reason"));
                if (finish != null) {
                    out.add(new ChatEvent.Finish(index, finish));
                }
            }
            TokenUsage usage = usage(Json.field(chunk, "usage"));
            if (usage != null) {
                out.add(new ChatEvent.Usage(usage));
            }
            return out;
        }
    }

    /** Turns neutral events into a caller's chunks; one encoder per stream. */
    public static final class StreamEncoder {

        private final String model;
        private final long created;
        private final boolean includeUsage;
        private final Set<Integer> roleSent = new java.util.HashSet<>();
        private String id = "chatcmpl-tollgate";

        public StreamEncoder(String model, long created, boolean includeUsage) {
            this.model = model;
            this.created = created;
            this.includeUsage = includeUsage;
        }

        /** The chunks for one event (none for a usage event the caller did not ask for). */
        public List<JsonNode> encode(ChatEvent event) {
            List<JsonNode> out = new ArrayList<>(2);
            if (event instanceof ChatEvent.Start s) {
                id = s.id();
                roleSent.add(0);
                out.add(chunk(choice(0, Json.obj().put("role", "assistant").put("content", "").build(), null)));
            } else if (event instanceof ChatEvent.TextDelta t) {
                out.add(chunk(choice(t.choice(), delta(t.choice()).put("content", t.text()).build(), null)));
            } else if (event instanceof ChatEvent.ToolCallDelta t) {
                Json.Obj fn = Json.obj().put("name", t.name()).put("arguments", t.argumentsDelta());
                Json.Obj call = Json.obj().put("index", t.index()).put("id", t.id());
                if (t.id() != null) {
                    call.put("type", "function");
                }
                call.put("function", fn.build());
                out.add(chunk(choice(t.choice(), delta(t.choice()).put("tool_calls", Json.arr(List.of(call.build()))).build(), null)));
            } else if (event instanceof ChatEvent.Finish f) {
                out.add(chunk(choice(f.choice(), Json.obj().build(), finishReasonName(f.reason()))));
            } else if (event instanceof ChatEvent.Usage u && includeUsage) {
                out.add(Json.obj().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                        .put("model", model).put("choices", Json.arr(List.of()))
                        .put("usage", encodeUsage(u.usage())).build());
            }
            return out;
        }

        private Json.Obj delta(int choice) {
            Json.Obj d = Json.obj();
            if (roleSent.add(choice)) {
                d.put("role", "assistant");
            }
            return d;
        }

        private static JsonNode choice(int index, JsonNode delta, @Nullable String finish) {
            Json.Obj c = Json.obj().put("index", index).put("delta", delta).putNull("logprobs");
            if (finish == null) {
                c.putNull("finish_reason");
            } else {
                c.put("finish_reason", finish);
            }
            return c.build();
        }

        private JsonNode chunk(JsonNode choice) {
            Json.Obj c = Json.obj().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                    .put("model", model).put("choices", Json.arr(List.of(choice)));
            if (includeUsage) {
                c.putNull("usage");
            }
            return c.build();
        }
    }

    // ---------------------------------------------------------------- embeddings

    /** Decodes and validates a caller's embeddings request. */
    public static EmbeddingRequest decodeEmbeddingRequest(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("the request body must be a JSON object", null);
        }
        String model = requiredString(body, "model");
        JsonNode input = body.get("input");
        List<String> texts = new ArrayList<>();
        if (input == null || input.isNull()) {
            throw ApiException.badRequest("you must provide 'input'", "input");
        } else if (input.isString()) {
            texts.add(input.getStringValue());
        } else if (input.isArray() && input.size() > 0 && input.size() <= 2048) {
            for (JsonNode v : input.values()) {
                if (!v.isString()) {
                    throw ApiException.badRequest("'input' must be a string or an array of strings (token arrays are not supported)", "input");
                }
                texts.add(v.getStringValue());
            }
        } else {
            throw ApiException.badRequest("'input' must be a string or an array of 1 to 2048 strings", "input");
        }
        for (String t : texts) {
            if (t.isEmpty()) {
                throw ApiException.badRequest("'input' must not contain empty strings", "input");
            }
        }
        String format = optionalString(body, "encoding_format");
        if (format != null && !format.equals("float") && !format.equals("base64")) {
            throw ApiException.badRequest("'encoding_format' must be float or base64", "encoding_format");
        }
        return new EmbeddingRequest(model, texts, optionalInt(body, "dimensions", 1, 65536), format, optionalString(body, "user"));
    }

    public static JsonNode encodeEmbeddingRequest(EmbeddingRequest r) {
        return Json.obj().put("model", r.model()).put("input", Json.strings(r.input()))
                .put("encoding_format", r.encodingFormat()).put("dimensions", r.dimensions()).put("user", r.user()).build();
    }

    public static EmbeddingResponse decodeEmbeddingResponse(JsonNode body) {
        List<JsonNode> data = Json.items(body, "data");
        JsonNode[] vectors = new JsonNode[data.size()];
        for (int i = 0; i < data.size(); i++) {
            int index = (int) Json.number(data.get(i), "index", i);
            vectors[index >= 0 && index < vectors.length ? index : i] = Json.field(data.get(i), "embedding");
        }
        JsonNode usage = Json.field(body, "usage");
        return new EmbeddingResponse(String.valueOf(Json.text(body, "model")), List.of(vectors),
                TokenUsage.of(Json.number(usage, "prompt_tokens", 0), 0));
    }

    public static JsonNode encodeEmbeddingResponse(EmbeddingResponse r, String model) {
        List<JsonNode> data = new ArrayList<>();
        for (int i = 0; i < r.vectors().size(); i++) {
            data.add(Json.obj().put("object", "embedding").put("index", i).put("embedding", r.vectors().get(i)).build());
        }
        return Json.obj().put("object", "list").put("data", Json.arr(data)).put("model", model)
                .put("usage", Json.obj().put("prompt_tokens", r.usage().inputTokens())
                        .put("total_tokens", r.usage().inputTokens()).build()).build();
    }

    // ---------------------------------------------------------------- validation helpers

    static String requiredString(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw ApiException.badRequest("you must provide '" + field + "'", field);
        }
        if (!v.isString() || v.getStringValue().isBlank()) {
            throw ApiException.badRequest("'" + field + "' must be a non-empty string", field);
        }
        return v.getStringValue();
    }

    @Nullable
    static String optionalString(JsonNode body, String field) {
        JsonNode v = Json.field(body, field);
        if (v != null && !v.isString()) {
            throw ApiException.badRequest("'" + field + "' must be a string", field);
        }
        return v == null ? null : v.getStringValue();
    }

    @Nullable
    static Integer optionalInt(JsonNode body, String field, int min, int max) {
        JsonNode v = Json.field(body, field);
        if (v == null) {
            return null;
        }
        if (!v.isNumber() || v.getDoubleValue() != Math.rint(v.getDoubleValue())) {
            throw ApiException.badRequest("'" + field + "' must be an integer", field);
        }
        double d = v.getDoubleValue();
        if (d < min || d > max) {
            throw ApiException.badRequest("'" + field + "' must be between " + min + " and " + max, field);
        }
        return (int) d;
    }

    @Nullable
    static Double optionalNumber(JsonNode body, String field, double min, double max) {
        JsonNode v = Json.field(body, field);
        if (v == null) {
            return null;
        }
        if (!v.isNumber()) {
            throw ApiException.badRequest("'" + field + "' must be a number", field);
        }
        double d = v.getDoubleValue();
        if (d < min || d > max) {
            throw ApiException.badRequest("'" + field + "' must be between " + min + " and " + max, field);
        }
        return d;
    }

    static boolean optionalBoolean(JsonNode body, String field) {
        JsonNode v = Json.field(body, field);
        if (v != null && !v.isBoolean()) {
            throw ApiException.badRequest("'" + field + "' must be a boolean", field);
        }
        return v != null && v.getBooleanValue();
    }
}
