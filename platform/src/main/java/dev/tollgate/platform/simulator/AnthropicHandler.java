package dev.tollgate.platform.simulator;

import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Anthropic's Messages API under {@code /anthropic/v1}: {@code POST /messages} (JSON and SSE),
 * {@code POST /messages/count_tokens} and the organization usage report. Prompt caching follows
 * {@code cache_control} breakpoints: the prefix up to the last breakpoint is written to the cache
 * the first time and read from it when a later request repeats it (the longest repeated
 * breakpoint prefix is read, the rest up to the last breakpoint written).
 */
final class AnthropicHandler extends ProviderHandler {

    static final String ANTHROPIC = "anthropic";

    private final UsageReports usageReports;

    AnthropicHandler(Simulation sim, UsageReports usageReports) {
        super(sim);
        this.usageReports = usageReports;
    }

    @Override
    Map<String, String> answerHeaders() {
        return Map.of("request-id", "req_" + OpenAiHandler.randomId(24));
    }

    @Override
    boolean handle(HttpCall call) throws IOException {
        if (!call.path().startsWith("/anthropic/")) {
            return false;
        }
        String route = call.method() + " " + call.path().substring("/anthropic".length());
        if (!route.equals("POST /v1/messages") && !route.equals("POST /v1/messages/count_tokens")
            && !route.equals("GET /v1/organizations/usage_report/messages")) {
            return false;
        }
        if (call.header("x-api-key") == null) {
            error(call, 401, "x-api-key header is required", null);
            return true;
        }
        if (call.header("anthropic-version") == null) {
            error(call, 400, "anthropic-version: header is required", null);
            return true;
        }
        switch (route) {
            case "POST /v1/messages" -> messages(call, false);
            case "POST /v1/messages/count_tokens" -> messages(call, true);
            default -> usageReports.anthropic(call, this);
        }
        return true;
    }

    private void messages(HttpCall call, boolean countOnly) throws IOException {
        Map<String, Object> body;
        try {
            body = Json.readObject(call.body());
        } catch (Json.Malformed e) {
            if (!countOnly) {
                sim.ledger.record(Delivery.failed(ANTHROPIC, Delivery.CHAT, "unknown", false));
            }
            error(call, 400, "There was an issue with your request. Try again in a few moments or check the JSON "
                + "body: " + e.getMessage(), null);
            return;
        }
        String model = Json.string(body, "model");
        boolean stream = Json.bool(body, "stream");
        if (model == null || model.isBlank()) {
            if (!countOnly) {
                sim.ledger.record(Delivery.failed(ANTHROPIC, Delivery.CHAT, "unknown", stream));
            }
            error(call, 400, "model: Field required", null);
            return;
        }
        Plan plan;
        try {
            plan = plan(model, body, countOnly);
        } catch (Json.Invalid e) {
            if (countOnly) {
                error(call, 400, e.getMessage(), null);
            } else {
                fail(call, ANTHROPIC, Delivery.CHAT, model, stream, 400, e.getMessage(), null);
            }
            return;
        }
        if (countOnly) {
            call.json(200, Json.obj("input_tokens", plan.inputTokens()), answerHeaders());
            return;
        }
        Optional<Fault> fault = sim.fault(ANTHROPIC, model);
        if (answerFault(call, ANTHROPIC, Delivery.CHAT, model, stream, fault)) {
            return;
        }
        sim.awaitFirstByte(fault);
        if (stream) {
            streamMessage(call, plan, dropping(fault));
        } else if (dropping(fault)) {
            sim.ledger.record(Delivery.failed(ANTHROPIC, Delivery.CHAT, model, false));
            call.partialThenDrop("application/json", Json.write(message(plan)), answerHeaders());
        } else {
            sim.ledger.record(plan.delivery(false, false, plan.outputTokens()));
            call.json(200, message(plan), answerHeaders());
        }
    }

    private Plan plan(String model, Map<String, Object> body, boolean countOnly) {
        Integer maxTokens = Json.integer(body, "max_tokens");
        if (!countOnly && maxTokens == null) {
            throw new Json.Invalid("max_tokens", "max_tokens: Field required");
        }
        if (maxTokens != null && maxTokens < 1) {
            throw new Json.Invalid("max_tokens", "max_tokens: Input should be greater than or equal to 1");
        }
        List<Object> messages = Json.list(body, "messages");
        if (messages.isEmpty()) {
            throw new Json.Invalid("messages", "messages: Field required");
        }
        List<Segment> segments = new ArrayList<>();
        List<Object> tools = Json.list(body, "tools");
        for (Object tool : tools) {
            Map<String, Object> spec = Json.object(tool);
            if (spec == null || Json.string(spec, "name") == null) {
                throw new Json.Invalid("tools", "tools: each tool needs a name");
            }
            segments.add(segment(Json.text(spec.get("name")) + Json.text(spec.getOrDefault("input_schema", Map.of())),
                spec));
        }
        Object system = body.get("system");
        if (system instanceof String text) {
            segments.add(new Segment(text, null));
        } else if (system instanceof List<?> blocks) {
            for (Object block : blocks) {
                Map<String, Object> map = Json.object(block);
                segments.add(segment(Json.collectText(map == null ? block : map.get("text")), map));
            }
        } else if (system != null) {
            throw new Json.Invalid("system", "system: Input should be a valid string or a list of text blocks");
        }
        String lastUser = "";
        boolean lastIsUserText = false;
        for (Object item : messages) {
            Map<String, Object> message = Json.object(item);
            String role = message == null ? null : Json.string(message, "role");
            if (role == null || !(role.equals("user") || role.equals("assistant"))) {
                throw new Json.Invalid("messages", "messages: each message needs a role of 'user' or 'assistant'");
            }
            Object content = message.get("content");
            StringBuilder text = new StringBuilder();
            boolean toolResult = false;
            if (content instanceof String s) {
                segments.add(new Segment(role + "\n" + s, null));
                text.append(s);
            } else if (content instanceof List<?> blocks) {
                segments.add(new Segment(role, null));
                for (Object block : blocks) {
                    Map<String, Object> map = Json.object(block);
                    if (map == null) {
                        throw new Json.Invalid("messages", "messages: content blocks must be objects");
                    }
                    toolResult |= "tool_result".equals(map.get("type"));
                    Map<String, Object> withoutMarker = new java.util.LinkedHashMap<>(map);
                    withoutMarker.remove("cache_control");
                    withoutMarker.remove("type");
                    String blockText = Json.collectText(withoutMarker);
                    segments.add(segment(blockText, map));
                    if ("text".equals(map.get("type"))) {
                        text.append(blockText);
                    }
                }
            } else {
                throw new Json.Invalid("messages", "messages: content must be a string or a list of content blocks");
            }
            lastIsUserText = role.equals("user") && !toolResult;
            if (role.equals("user")) {
                lastUser = text.toString();
            }
        }
        Usage usage = usage(model, segments);
        List<String> stops = new ArrayList<>();
        for (Object stop : Json.list(body, "stop_sequences")) {
            if (!(stop instanceof String s)) {
                throw new Json.Invalid("stop_sequences", "stop_sequences: Input should be a list of strings");
            }
            stops.add(s);
        }
        Answers.ToolSpec tool = lastIsUserText ? toolToCall(tools, Json.object(body, "tool_choice"), lastUser) : null;
        Answers.Reply reply = Answers.reply(new Answers.Prompt(model, lastUser, maxTokens == null ? 0 : maxTokens,
            stops, false, tool, false), 0);
        return new Plan(model, "msg_01" + OpenAiHandler.randomId(22), usage, reply);
    }

    private static Segment segment(String text, @Nullable Map<String, Object> block) {
        Map<String, Object> cacheControl = block == null ? null : Json.object(block, "cache_control");
        return new Segment(text, cacheControl == null ? null : String.valueOf(cacheControl.getOrDefault("ttl", "5m")));
    }

    private Usage usage(String model, List<Segment> segments) {
        StringBuilder prefix = new StringBuilder();
        int readTokens = 0;
        int lastBreakpointTokens = 0;
        String lastTtl = null;
        int lastBreakpointEnd = -1;
        List<String> breakpoints = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            prefix.append(segments.get(i).text()).append('\n');
            if (segments.get(i).cacheTtl() != null) {
                breakpoints.add(prefix.toString());
                lastTtl = segments.get(i).cacheTtl();
                lastBreakpointEnd = i;
            }
        }
        for (int i = breakpoints.size() - 1; i >= 0; i--) {
            boolean seen = sim.cache.explicit(ANTHROPIC, model, breakpoints.get(i));
            if (seen && readTokens == 0) {
                readTokens = Tokenizer.count(model, breakpoints.get(i));
            }
        }
        StringBuilder rest = new StringBuilder();
        for (int i = lastBreakpointEnd + 1; i < segments.size(); i++) {
            rest.append(segments.get(i).text()).append('\n');
        }
        if (!breakpoints.isEmpty()) {
            lastBreakpointTokens = Tokenizer.count(model, breakpoints.get(breakpoints.size() - 1));
        }
        int writeTokens = Math.max(0, lastBreakpointTokens - readTokens);
        // A few tokens of per-request framing, as the real API reports for an empty-looking prompt.
        int uncached = Tokenizer.count(model, rest.toString()) + 3;
        boolean oneHour = "1h".equals(lastTtl);
        return new Usage(uncached, readTokens, oneHour ? 0 : writeTokens, oneHour ? writeTokens : 0);
    }

    @Nullable
    private static Answers.ToolSpec toolToCall(List<Object> tools, @Nullable Map<String, Object> choice,
                                               String lastUser) {
        String type = choice == null ? "auto" : String.valueOf(choice.get("type"));
        if (tools.isEmpty() || type.equals("none")) {
            return null;
        }
        String forced = type.equals("tool") ? Json.string(choice, "name") : null;
        if (!type.equals("any") && forced == null && !Answers.asksForTool(lastUser)) {
            return null;
        }
        for (Object item : tools) {
            Map<String, Object> tool = Json.object(item);
            String name = Json.string(tool, "name");
            if (forced == null || forced.equals(name)) {
                return new Answers.ToolSpec(name, Json.object(tool, "input_schema"));
            }
        }
        throw new Json.Invalid("tool_choice", "tool_choice: no tool named '" + forced + "' in tools");
    }

    private static String stopReason(Answers.Finish finish) {
        return switch (finish) {
            case STOP -> "end_turn";
            case STOP_SEQUENCE -> "stop_sequence";
            case LENGTH -> "max_tokens";
            case TOOL_CALL -> "tool_use";
        };
    }

    private Map<String, Object> message(Plan plan) {
        Answers.Reply reply = plan.reply();
        Object block = reply.toolCall() == null ? Json.obj("type", "text", "text", reply.text())
            : Json.obj("type", "tool_use", "id", "toolu_01" + reply.toolCall().id(), "name", reply.toolCall().name(),
                "input", Json.readObject(reply.toolCall().arguments().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return Json.obj("id", plan.id(), "type", "message", "role", "assistant", "model", plan.model(),
            "content", List.of(block), "stop_reason", stopReason(reply.finish()),
            "stop_sequence", reply.stopSequence(), "usage", plan.usage().json(plan.outputTokens()));
    }

    private void streamMessage(HttpCall call, Plan plan, boolean drop) throws IOException {
        Answers.Reply reply = plan.reply();
        List<String> pieces = reply.pieces();
        int dropAfter = drop ? Math.max(1, pieces.size() / 2) : Integer.MAX_VALUE;
        StringBuilder delivered = new StringBuilder(reply.toolCall() == null ? "" : reply.toolCall().name());
        boolean recorded = false;
        try {
            EventStream events = call.stream(sim.timing().chunkDelayMs(), answerHeaders());
            Map<String, Object> start = Json.obj("id", plan.id(), "type", "message", "role", "assistant",
                "model", plan.model(), "content", List.of(), "stop_reason", null, "stop_sequence", null,
                "usage", plan.usage().json(1));
            events.event("message_start", Json.obj("type", "message_start", "message", start));
            Object block = reply.toolCall() == null ? Json.obj("type", "text", "text", "")
                : Json.obj("type", "tool_use", "id", "toolu_01" + reply.toolCall().id(), "name",
                    reply.toolCall().name(), "input", Map.of());
            events.event("content_block_start", Json.obj("type", "content_block_start", "index", 0,
                "content_block", block));
            events.event("ping", Json.obj("type", "ping"));
            int sent = 0;
            for (String piece : pieces) {
                if (sent >= dropAfter) {
                    events.drop();
                }
                Object delta = reply.toolCall() == null ? Json.obj("type", "text_delta", "text", piece)
                    : Json.obj("type", "input_json_delta", "partial_json", piece);
                events.event("content_block_delta", Json.obj("type", "content_block_delta", "index", 0,
                    "delta", delta));
                delivered.append(piece);
                sent++;
            }
            if (drop) {
                events.drop();
            }
            events.event("content_block_stop", Json.obj("type", "content_block_stop", "index", 0));
            sim.ledger.record(plan.delivery(true, false, plan.outputTokens()));
            recorded = true;
            events.event("message_delta", Json.obj("type", "message_delta",
                "delta", Json.obj("stop_reason", stopReason(reply.finish()), "stop_sequence", reply.stopSequence()),
                "usage", Json.obj("output_tokens", plan.outputTokens())));
            events.event("message_stop", Json.obj("type", "message_stop"));
            events.end();
        } finally {
            if (!recorded) {
                sim.ledger.record(plan.delivery(true, drop, Tokenizer.count(plan.model(), delivered.toString())));
            }
        }
    }

    /** A part of the prompt in cache order, with the TTL of its {@code cache_control} breakpoint if it has one. */
    private record Segment(String text, @Nullable String cacheTtl) {
    }

    private record Usage(int uncachedInputTokens, int cacheReadTokens, int cacheWrite5mTokens, int cacheWrite1hTokens) {

        int total() {
            return uncachedInputTokens + cacheReadTokens + cacheWrite5mTokens + cacheWrite1hTokens;
        }

        Map<String, Object> json(int outputTokens) {
            return Json.obj("input_tokens", uncachedInputTokens,
                "cache_creation_input_tokens", cacheWrite5mTokens + cacheWrite1hTokens,
                "cache_read_input_tokens", cacheReadTokens,
                "cache_creation", Json.obj("ephemeral_5m_input_tokens", cacheWrite5mTokens,
                    "ephemeral_1h_input_tokens", cacheWrite1hTokens),
                "output_tokens", outputTokens, "service_tier", "standard");
        }
    }

    private record Plan(String model, String id, Usage usage, Answers.Reply reply) {

        int inputTokens() {
            return usage.total();
        }

        int outputTokens() {
            return Tokenizer.count(model, reply.outputText());
        }

        Delivery delivery(boolean streamed, boolean error, int outputTokens) {
            return new Delivery(ANTHROPIC, Delivery.CHAT, model, streamed, error, usage.total(), usage.cacheReadTokens(),
                usage.cacheWrite5mTokens(), usage.cacheWrite1hTokens(), outputTokens, 0);
        }
    }

    // ---- errors -----------------------------------------------------------------------------

    @Override
    Map<String, Object> errorBody(int status, String message, @Nullable String param) {
        String type = switch (status) {
            case 400, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 504 -> "timeout_error";
            case 529 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
        return Json.obj("type", "error", "error", Json.obj("type", type, "message", message),
            "request_id", "req_" + OpenAiHandler.randomId(24));
    }

    @Override
    String faultMessage(int status, String model) {
        return switch (status) {
            case 401 -> "invalid x-api-key";
            case 403 -> "Your API key does not have permission to use the specified resource.";
            case 404 -> "model: " + model;
            case 413 -> "Request exceeds the maximum allowed number of bytes.";
            case 429 -> "This request would exceed the rate limit for your organization of 50 requests per minute. "
                + "For details, refer to: https://docs.claude.com/en/api/rate-limits.";
            case 529 -> "Overloaded";
            default -> status >= 500 ? "Internal server error" : "Invalid request";
        };
    }

    @Override
    String malformedJson() {
        return "{\"id\":\"msg_01simulator\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"text\","
            + "\"text\":\"The answer is";
    }

    @Override
    String malformedEvents() {
        return "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01simulator\"\n\n"
            + "event: content_block_delta\ndata: {not json}\n\n";
    }
}
