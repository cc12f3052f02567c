package dev.tollgate.gateway.provider.gemini;

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

/** Maps the neutral model to Gemini's GenerateContent JSON and its responses back. */
public final class GeminiCodec {

    private final JsonMapper json;

    public GeminiCodec(JsonMapper json) {
        this.json = json;
    }

    /** The request body (the model goes in the URL, not the body). */
    public JsonNode encodeRequest(ChatRequest r) {
        StringBuilder system = new StringBuilder();
        Map<String, String> toolNames = new HashMap<>();
        List<JsonNode> contents = new ArrayList<>();
        String currentRole = null;
        List<JsonNode> currentParts = new ArrayList<>();
        for (Message m : r.messages()) {
            if (m.role() == Role.SYSTEM) {
                system.append(system.isEmpty() ? "" : "\n\n").append(m.text());
                continue;
            }
            String role = m.role() == Role.ASSISTANT ? "model" : "user";
            List<JsonNode> parts = new ArrayList<>();
            if (m.role() == Role.TOOL) {
                String name = toolNames.getOrDefault(m.toolCallId(), m.toolCallId());
                parts.add(Json.obj().put("functionResponse", Json.obj().put("name", name)
                        .put("response", Json.obj().put("content", m.text()).build()).build()).build());
            } else {
                for (Part p : m.content()) {
                    if (p instanceof Part.Text t && !t.text().isEmpty()) {
                        parts.add(Json.obj().put("text", t.text()).build());
                    } else if (p instanceof Part.Image img) {
                        parts.add(img.inline()
                                ? Json.obj().put("inlineData", Json.obj().put("mimeType", img.mediaType()).put("data", img.base64Data()).build()).build()
                                : Json.obj().put("fileData", Json.obj().put("mimeType", guessMime(img.url())).put("fileUri", img.url()).build()).build());
                    }
                }
                for (ToolCall c : m.toolCalls()) {
                    toolNames.put(c.id(), c.name());
                    parts.add(Json.obj().put("functionCall", Json.obj().put("name", c.name()).put("args", parseObject(c.arguments())).build()).build());
                }
            }
            if (parts.isEmpty()) {
                continue;
            }
            if (!role.equals(currentRole) && currentRole != null) {
                contents.add(Json.obj().put("role", currentRole).put("parts", Json.arr(currentParts)).build());
                currentParts = new ArrayList<>();
            }
            currentRole = role;
            currentParts.addAll(parts);
        }
        if (currentRole != null) {
            contents.add(Json.obj().put("role", currentRole).put("parts", Json.arr(currentParts)).build());
        }
        Json.Obj o = Json.obj().put("contents", Json.arr(contents));
        if (!system.isEmpty()) {
            o.put("systemInstruction", Json.obj().put("parts", Json.arr(List.of(Json.obj().put("text", system.toString()).build()))).build());
        }
        if (!r.tools().isEmpty()) {
            List<JsonNode> declarations = new ArrayList<>();
            for (Tool t : r.tools()) {
                declarations.add(Json.obj().put("name", t.name()).put("description", t.description()).put("parameters", t.parameters()).build());
            }
            o.put("tools", Json.arr(List.of(Json.obj().put("functionDeclarations", Json.arr(declarations)).build())));
            if (r.toolChoice() != null) {
                Json.Obj config = Json.obj().put("mode", switch (r.toolChoice().mode()) {
                    case AUTO -> "AUTO";
                    case NONE -> "NONE";
                    case REQUIRED, FUNCTION -> "ANY";
                });
                if (r.toolChoice().name() != null) {
                    config.put("allowedFunctionNames", Json.strings(List.of(r.toolChoice().name())));
                }
                o.put("toolConfig", Json.obj().put("functionCallingConfig", config.build()).build());
            }
        }
        Json.Obj generation = Json.obj().put("temperature", r.temperature()).put("topP", r.topP())
                .put("maxOutputTokens", r.maxTokens());
        if (!r.stop().isEmpty()) {
            generation.put("stopSequences", Json.strings(r.stop()));
        }
        if (r.n() != 1) {
            generation.put("candidateCount", r.n());
        }
        if (r.responseFormat() != null && r.responseFormat().type() != ResponseFormat.Type.TEXT) {
            generation.put("responseMimeType", "application/json");
            generation.put("responseSchema", r.responseFormat().schema());
        }
        if (!generation.isEmpty()) {
            o.put("generationConfig", generation.build());
        }
        return o.build();
    }

    private static String guessMime(String url) {
        String u = url.toLowerCase(java.util.Locale.ROOT);
        if (u.endsWith(".png")) {
            return "image/png";
        }
        if (u.endsWith(".gif")) {
            return "image/gif";
        }
        if (u.endsWith(".webp")) {
            return "image/webp";
        }
        return "image/jpeg";
    }

    /** Decodes a complete GenerateContent response. */
    public ChatResponse decodeResponse(JsonNode body, String requestedModel) {
        List<Choice> choices = new ArrayList<>();
        int callCounter = 0;
        for (JsonNode candidate : Json.items(body, "candidates")) {
            List<Part> parts = new ArrayList<>();
            List<ToolCall> calls = new ArrayList<>();
            for (JsonNode part : Json.items(Json.field(candidate, "content"), "parts")) {
                JsonNode call = Json.field(part, "functionCall");
                String text = Json.text(part, "text");
                if (call != null) {
                    calls.add(new ToolCall(callId(Json.text(call, "id"), callCounter++), String.valueOf(Json.text(call, "name")), args(call)));
                } else if (text != null && !isThought(part)) {
                    parts.add(new Part.Text(text));
                }
            }
            FinishReason reason = finishReason(Json.text(candidate, "finishReason"));
            if (reason == FinishReason.STOP && !calls.isEmpty()) {
                reason = FinishReason.TOOL_CALLS;
            }
            choices.add(new Choice((int) Json.number(candidate, "index", choices.size()),
                    new Message(Role.ASSISTANT, parts, calls, null, null), reason));
        }
        String model = Json.text(body, "modelVersion");
        String id = Json.text(body, "responseId");
        return new ChatResponse(id == null ? "gemini-response" : id, model == null ? requestedModel : model, choices,
                usage(Json.field(body, "usageMetadata")));
    }

    /** Reads {@code usageMetadata} with the shared extractor (audio per modality, thoughts in the output). */
    @Nullable
    static TokenUsage usage(@Nullable JsonNode u) {
        if (u == null) {
            return null;
        }
        return UsageExtractors.bundled().tokenUsage("google", "default", u);
    }

    @Nullable
    static FinishReason finishReason(@Nullable String name) {
        if (name == null || name.isEmpty() || name.equals("FINISH_REASON_UNSPECIFIED")) {
            return null;
        }
        return switch (name) {
            case "MAX_TOKENS" -> FinishReason.LENGTH;
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY" -> FinishReason.CONTENT_FILTER;
            case "MALFORMED_FUNCTION_CALL" -> FinishReason.ERROR;
            default -> FinishReason.STOP;
        };
    }

    private static boolean isThought(JsonNode part) {
        JsonNode thought = Json.field(part, "thought");
        return thought != null && thought.isBoolean() && thought.getBooleanValue();
    }

    private static String callId(@Nullable String id, int counter) {
        return id != null ? id : "call_gemini_" + counter;
    }

    private String args(JsonNode call) {
        JsonNode args = Json.field(call, "args");
        if (args == null) {
            return "{}";
        }
        try {
            return json.writeValueAsString(args);
        } catch (IOException e) {
            return "{}";
        }
    }

    private JsonNode parseObject(String text) {
        try {
            JsonNode node = json.readValue(text, JsonNode.class);
            return node != null && node.isObject() ? node : Json.obj().build();
        } catch (IOException | RuntimeException e) {
            return Json.obj().build();
        }
    }

    /** Turns streamed GenerateContent responses into neutral events; one per stream. */
    public final class StreamDecoder {

        private final String requestedModel;
        private boolean started;
        private int callCounter;
        private final Map<Integer, Boolean> calledByChoice = new HashMap<>();
        private TokenUsage usage;

        public StreamDecoder(String requestedModel) {
            this.requestedModel = requestedModel;
        }

        public List<ChatEvent> decode(JsonNode chunk) {
            List<ChatEvent> out = new ArrayList<>(2);
            if (!started) {
                started = true;
                String id = Json.text(chunk, "responseId");
                String model = Json.text(chunk, "modelVersion");
                out.add(new ChatEvent.Start(id == null ? "gemini-response" : id, model == null ? requestedModel : model));
            }
            for (JsonNode candidate : Json.items(chunk, "candidates")) {
                int index = (int) Json.number(candidate, "index", 0);
                for (JsonNode part : Json.items(Json.field(candidate, "content"), "parts")) {
                    JsonNode call = Json.field(part, "functionCall");
                    String text = Json.text(part, "text");
                    if (call != null) {
                        calledByChoice.put(index, true);
                        int n = callCounter++;
                        out.add(new ChatEvent.ToolCallDelta(index, n, callId(Json.text(call, "id"), n),
                                String.valueOf(Json.text(call, "name")), args(call)));
                    } else if (text != null && !text.isEmpty() && !isThought(part)) {
                        out.add(new ChatEvent.TextDelta(index, text));
                    }
                }
                FinishReason reason = finishReason(Json.text(candidate, "finishReason"));
                if (reason != null) {
                    if (reason == FinishReason.STOP && calledByChoice.containsKey(index)) {
                        reason = FinishReason.TOOL_CALLS;
                    }
                    out.add(new ChatEvent.Finish(index, reason));
                }
            }
            TokenUsage u = usage(Json.field(chunk, "usageMetadata"));
            if (u != null) {
                usage = u;
            }
            return out;
        }

        /** The usage of the whole stream (Gemini repeats cumulative counts on every chunk). */
        public List<ChatEvent> finish() {
            return usage == null ? List.of() : List.of(new ChatEvent.Usage(usage));
        }
    }
}
