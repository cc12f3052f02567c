package dev.tollgate.platform.simulator;

import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gemini's {@code generateContent}, {@code streamGenerateContent} (SSE with {@code alt=sse}, else a
 * JSON array) and {@code countTokens} under {@code /gemini/v1beta/models/{model}}. As in the real
 * API, {@code usageMetadata} leaves out {@code cachedContentTokenCount} and
 * {@code thoughtsTokenCount} when they are zero; thinking models (2.5 and later) think unless
 * {@code thinkingBudget} is 0.
 */
final class GeminiHandler extends ProviderHandler {

    static final String GEMINI = "gemini";
    private static final Pattern PATH =
        Pattern.compile("/gemini/v1beta/models/([^/:]+):(generateContent|streamGenerateContent|countTokens)");

    GeminiHandler(Simulation sim) {
        super(sim);
    }

    @Override
    boolean handle(HttpCall call) throws IOException {
        Matcher matcher = PATH.matcher(call.path());
        if (!matcher.matches() || !call.method().equals("POST")) {
            return false;
        }
        if (call.header("x-goog-api-key") == null && (call.query("key") == null || call.query("key").isBlank())) {
            error(call, 401, "Method doesn't allow unregistered callers (callers without established identity). "
                + "Please use API Key or other form of API consumer identity to call this API.", null);
            return true;
        }
        String model = matcher.group(1);
        String method = matcher.group(2);
        Map<String, Object> body;
        try {
            body = Json.readObject(call.body());
        } catch (Json.Malformed e) {
            if (!method.equals("countTokens")) {
                sim.ledger.record(Delivery.failed(GEMINI, Delivery.CHAT, model, false));
            }
            error(call, 400, "Invalid JSON payload received. " + e.getMessage(), null);
            return true;
        }
        boolean stream = method.equals("streamGenerateContent");
        boolean sse = "sse".equals(call.query("alt"));
        Plan plan;
        try {
            plan = plan(model, method.equals("countTokens") && body.get("generateContentRequest") != null
                ? Json.object(body, "generateContentRequest") : body, method.equals("countTokens"));
        } catch (Json.Invalid e) {
            if (method.equals("countTokens")) {
                error(call, 400, e.getMessage(), null);
            } else {
                fail(call, GEMINI, Delivery.CHAT, model, stream, 400, e.getMessage(), null);
            }
            return true;
        }
        if (method.equals("countTokens")) {
            call.json(200, Json.obj("totalTokens", plan.promptTokens(),
                "promptTokensDetails", List.of(Json.obj("modality", "TEXT", "tokenCount", plan.promptTokens()))));
            return true;
        }
        Optional<Fault> fault = sim.fault(GEMINI, model);
        if (answerFault(call, GEMINI, Delivery.CHAT, model, stream && sse, fault)) {
            return true;
        }
        sim.awaitFirstByte(fault);
        if (stream) {
            streamContent(call, plan, sse, dropping(fault));
        } else if (dropping(fault)) {
            sim.ledger.record(Delivery.failed(GEMINI, Delivery.CHAT, model, false));
            call.partialThenDrop("application/json", Json.write(response(plan, plan.replies(), true)), Map.of());
        } else {
            sim.ledger.record(plan.delivery(false, false, plan.outputTokens()));
            call.json(200, response(plan, plan.replies(), true));
        }
        return true;
    }

    private Plan plan(String model, @Nullable Map<String, Object> body, boolean countOnly) {
        if (body == null) {
            throw new Json.Invalid("contents", "* GenerateContentRequest.contents: contents is not specified");
        }
        List<Object> contents = Json.list(body, "contents");
        if (contents.isEmpty()) {
            throw new Json.Invalid("contents", "* GenerateContentRequest.contents: contents is not specified");
        }
        StringBuilder prompt = new StringBuilder();
        List<Object> declarations = new ArrayList<>();
        for (Object tool : Json.list(body, "tools")) {
            Map<String, Object> map = Json.object(tool);
            if (map != null) {
                declarations.addAll(Json.list(map, "functionDeclarations"));
            }
        }
        if (!declarations.isEmpty()) {
            prompt.append(Json.text(declarations)).append('\n');
        }
        Map<String, Object> system = Json.object(body, "systemInstruction");
        if (system != null) {
            prompt.append(Json.collectText(system.get("parts"))).append('\n');
        }
        String lastUser = "";
        boolean lastIsUserText = false;
        for (Object item : contents) {
            Map<String, Object> content = Json.object(item);
            if (content == null || !(content.get("parts") instanceof List<?>)) {
                throw new Json.Invalid("contents", "* GenerateContentRequest.contents[].parts: parts is required");
            }
            String role = content.get("role") == null ? "user" : String.valueOf(content.get("role"));
            StringBuilder text = new StringBuilder();
            boolean functionResponse = false;
            for (Object part : Json.list(content, "parts")) {
                Map<String, Object> map = Json.object(part);
                if (map != null && map.get("text") instanceof String s) {
                    text.append(s);
                }
                functionResponse |= map != null && map.get("functionResponse") != null;
            }
            prompt.append(role).append('\n').append(Json.collectText(content.get("parts"))).append('\n');
            lastIsUserText = role.equals("user") && !functionResponse;
            if (role.equals("user")) {
                lastUser = text.toString();
            }
        }
        int[] tokens = Tokenizer.encode(model, prompt.toString());
        int cached = countOnly ? 0 : sim.cache.automatic(GEMINI, model, tokens);

        Map<String, Object> config = Json.object(body, "generationConfig");
        config = config == null ? Map.of() : config;
        Integer maxOutput = Json.integer(config, "maxOutputTokens");
        if (maxOutput != null && maxOutput < 1) {
            throw new Json.Invalid("generationConfig.maxOutputTokens", "* GenerateContentRequest.generation_config."
                + "max_output_tokens: must be positive");
        }
        Integer candidates = Json.integer(config, "candidateCount");
        if (candidates != null && (candidates < 1 || candidates > 8)) {
            throw new Json.Invalid("generationConfig.candidateCount",
                "* GenerateContentRequest.generation_config.candidate_count: must be between 1 and 8");
        }
        List<String> stops = new ArrayList<>();
        for (Object stop : Json.list(config, "stopSequences")) {
            stops.add(String.valueOf(stop));
        }
        Map<String, Object> thinking = Json.object(config, "thinkingConfig");
        Integer budget = thinking == null ? null : Json.integer(thinking, "thinkingBudget");
        String name = model.toLowerCase(Locale.ROOT);
        boolean thinks = (name.startsWith("gemini-2.5") || name.startsWith("gemini-3")) && (budget == null || budget != 0);
        boolean json = "application/json".equals(Json.string(config, "responseMimeType"));
        Answers.ToolSpec tool = lastIsUserText ? toolToCall(declarations, Json.object(body, "toolConfig"), lastUser) : null;
        Answers.Prompt answerPrompt = new Answers.Prompt(model, lastUser, maxOutput == null ? 0 : maxOutput, stops, json,
            tool, thinks);
        List<Answers.Reply> replies = new ArrayList<>();
        for (int i = 0; i < (candidates == null ? 1 : candidates); i++) {
            replies.add(Answers.reply(answerPrompt, i));
        }
        return new Plan(model, OpenAiHandler.randomId(22), tokens.length, cached, replies);
    }

    @Nullable
    private static Answers.ToolSpec toolToCall(List<Object> declarations, @Nullable Map<String, Object> toolConfig,
                                               String lastUser) {
        Map<String, Object> calling = toolConfig == null ? null : Json.object(toolConfig, "functionCallingConfig");
        String mode = calling == null || Json.string(calling, "mode") == null ? "AUTO" : Json.string(calling, "mode");
        if (declarations.isEmpty() || mode.equals("NONE") || (!mode.equals("ANY") && !Answers.asksForTool(lastUser))) {
            return null;
        }
        List<Object> allowed = calling == null ? List.of() : Json.list(calling, "allowedFunctionNames");
        for (Object item : declarations) {
            Map<String, Object> declaration = Json.object(item);
            String name = declaration == null ? null : Json.string(declaration, "name");
            if (name != null && (allowed.isEmpty() || allowed.contains(name))) {
                Map<String, Object> schema = Json.object(declaration, "parameters");
                return new Answers.ToolSpec(name, schema != null ? schema : Json.object(declaration, "parametersJsonSchema"));
            }
        }
        throw new Json.Invalid("toolConfig", "* GenerateContentRequest.tool_config.function_calling_config: "
            + "no declared function is allowed");
    }

    private static String finishReason(Answers.Finish finish) {
        return finish == Answers.Finish.LENGTH ? "MAX_TOKENS" : "STOP";
    }

    /** A response carrying {@code parts} per candidate; {@code last} adds finish reasons. */
    private Map<String, Object> response(Plan plan, List<Answers.Reply> replies, boolean last) {
        List<Object> candidates = new ArrayList<>();
        for (int i = 0; i < replies.size(); i++) {
            candidates.add(candidate(replies.get(i), i, replies.get(i).text(), last));
        }
        return Json.obj("candidates", candidates,
            "usageMetadata", plan.usageMetadata(plan.outputTokens() - plan.thoughtsTokens(), plan.thoughtsTokens()),
            "modelVersion", plan.model(), "responseId", plan.id());
    }

    private static Map<String, Object> candidate(Answers.Reply reply, int index, String text, boolean last) {
        Object part = reply.toolCall() == null ? Json.obj("text", text)
            : Json.obj("functionCall", Json.obj("name", reply.toolCall().name(),
                "args", Json.readObject(reply.toolCall().arguments().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        Map<String, Object> candidate = Json.obj("content", Json.obj("parts", List.of(part), "role", "model"));
        if (last) {
            candidate.put("finishReason", finishReason(reply.finish()));
        }
        candidate.put("index", index);
        return candidate;
    }

    private void streamContent(HttpCall call, Plan plan, boolean sse, boolean drop) throws IOException {
        // Candidates stream side by side: chunk k carries the k-th piece of every candidate.
        List<List<String>> pieces = new ArrayList<>();
        int rounds = 1;
        for (Answers.Reply reply : plan.replies()) {
            List<String> own = reply.toolCall() != null ? List.of(reply.toolCall().arguments()) : reply.pieces();
            pieces.add(own.isEmpty() ? List.of("") : own);
            rounds = Math.max(rounds, pieces.get(pieces.size() - 1).size());
        }
        int dropAfter = drop ? Math.max(1, rounds / 2) : Integer.MAX_VALUE;
        StringBuilder[] delivered = new StringBuilder[plan.replies().size()];
        for (int i = 0; i < delivered.length; i++) {
            Answers.Reply reply = plan.replies().get(i);
            delivered[i] = new StringBuilder(reply.toolCall() == null ? "" : reply.toolCall().name());
        }
        boolean recorded = false;
        boolean started = false;
        try {
            EventStream events = sse ? call.stream(sim.timing().chunkDelayMs(), Map.of())
                : call.stream(sim.timing().chunkDelayMs(), Map.of("Content-Type", "application/json"));
            for (int round = 0; round < rounds; round++) {
                boolean last = round == rounds - 1;
                if (round >= dropAfter || (last && drop)) {
                    events.drop();
                }
                List<Object> candidates = new ArrayList<>();
                String[] sentNow = new String[delivered.length];
                for (int i = 0; i < plan.replies().size(); i++) {
                    List<String> own = pieces.get(i);
                    if (round < own.size()) {
                        Answers.Reply reply = plan.replies().get(i);
                        candidates.add(candidate(reply, i, own.get(round), round == own.size() - 1));
                        sentNow[i] = own.get(round);
                    }
                }
                int visible = 0;
                for (int i = 0; i < delivered.length; i++) {
                    visible += Tokenizer.count(plan.model(), delivered[i].toString() + (sentNow[i] == null ? "" : sentNow[i]));
                }
                Map<String, Object> chunk = Json.obj("candidates", candidates,
                    "usageMetadata", plan.usageMetadata(visible, plan.thoughtsTokens()),
                    "modelVersion", plan.model(), "responseId", plan.id());
                if (last) {
                    sim.ledger.record(plan.delivery(true, false, plan.outputTokens()));
                    recorded = true;
                }
                if (sse) {
                    events.raw("data: " + Json.text(chunk) + "\r\n\r\n");
                } else {
                    events.raw((started ? ",\r\n" : "[") + Json.text(chunk));
                }
                started = true;
                for (int i = 0; i < delivered.length; i++) {
                    if (sentNow[i] != null) {
                        delivered[i].append(sentNow[i]);
                    }
                }
            }
            if (!sse) {
                events.raw("]");
            }
            events.end();
        } finally {
            if (!recorded) {
                int output = started ? plan.thoughtsTokens() : 0;
                for (StringBuilder text : delivered) {
                    output += Tokenizer.count(plan.model(), text.toString());
                }
                sim.ledger.record(plan.delivery(true, drop, started ? output : 0));
            }
        }
    }

    private record Plan(String model, String id, int promptTokens, int cachedTokens, List<Answers.Reply> replies) {

        int thoughtsTokens() {
            return replies.stream().mapToInt(Answers.Reply::reasoningTokens).sum();
        }

        /** Visible plus thinking tokens. */
        int outputTokens() {
            return thoughtsTokens() + replies.stream().mapToInt(r -> Tokenizer.count(model, r.outputText())).sum();
        }

        Map<String, Object> usageMetadata(int candidatesTokens, int thoughts) {
            Map<String, Object> usage = Json.obj("promptTokenCount", promptTokens,
                "candidatesTokenCount", candidatesTokens,
                "totalTokenCount", promptTokens + candidatesTokens + thoughts);
            if (cachedTokens > 0) {
                usage.put("cachedContentTokenCount", cachedTokens);
            }
            if (thoughts > 0) {
                usage.put("thoughtsTokenCount", thoughts);
            }
            usage.put("promptTokensDetails", List.of(Json.obj("modality", "TEXT", "tokenCount", promptTokens)));
            if (cachedTokens > 0) {
                usage.put("cacheTokensDetails", List.of(Json.obj("modality", "TEXT", "tokenCount", cachedTokens)));
            }
            return usage;
        }

        Delivery delivery(boolean streamed, boolean error, int outputTokens) {
            return new Delivery(GEMINI, Delivery.CHAT, model, streamed, error, promptTokens, cachedTokens, 0, 0,
                outputTokens, Math.min(outputTokens, thoughtsTokens()));
        }
    }

    // ---- errors -----------------------------------------------------------------------------

    @Override
    Map<String, Object> errorBody(int status, String message, @Nullable String param) {
        String grpc = switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 409 -> "ABORTED";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 499 -> "CANCELLED";
            case 501 -> "UNIMPLEMENTED";
            case 503 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
        };
        return Json.obj("error", Json.obj("code", status, "message", message, "status", grpc));
    }

    @Override
    String faultMessage(int status, String model) {
        return switch (status) {
            case 401 -> "API key not valid. Please pass a valid API key.";
            case 403 -> "The caller does not have permission";
            case 404 -> "models/" + model + " is not found for API version v1beta, or is not supported for "
                + "generateContent.";
            case 429 -> "You exceeded your current quota, please check your plan and billing details.";
            case 503 -> "The model is overloaded. Please try again later.";
            case 504 -> "Deadline expired before operation could complete.";
            default -> status >= 500 ? "An internal error has occurred. Please retry or report in "
                + "https://developers.generativeai.google/guide/troubleshooting" : "Request contains an invalid argument.";
        };
    }

    @Override
    String malformedJson() {
        return "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"The answer is";
    }

    @Override
    String malformedEvents() {
        return "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"The\r\n\r\ndata: {not json}\r\n\r\n";
    }
}
