package dev.tollgate.platform.simulator;

import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenAI's Chat Completions, Embeddings and Models APIs under {@code /openai/v1}, and Azure
 * OpenAI's deployment routes under {@code /azure/openai/deployments/{deployment}} (answered like
 * OpenAI, with the deployment name as the model).
 */
final class OpenAiHandler extends ProviderHandler {

    static final String OPENAI = "openai";
    static final String AZURE = "azure";
    private static final Pattern AZURE_PATH =
        Pattern.compile("/azure/openai/deployments/([^/]+)/(chat/completions|embeddings)");
    private static final List<String> MODELS = List.of(
        "gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-5", "gpt-5-mini", "gpt-5-nano",
        "o1", "o3", "o3-mini", "o4-mini", "gpt-3.5-turbo",
        "text-embedding-3-small", "text-embedding-3-large", "text-embedding-ada-002");
    private static final long MODELS_CREATED = 1_715_367_049L;

    private final UsageReports usageReports;

    OpenAiHandler(Simulation sim, UsageReports usageReports) {
        super(sim);
        this.usageReports = usageReports;
    }

    @Override
    boolean handle(HttpCall call) throws IOException {
        String path = call.path();
        Matcher azure = AZURE_PATH.matcher(path);
        if (azure.matches() && call.method().equals("POST")) {
            if (call.header("api-key") == null && call.bearer() == null) {
                call.json(401, Json.obj("error", Json.obj("code", "401", "message",
                    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key "
                        + "for an active subscription and use a correct regional API endpoint for your resource.")));
            } else if (call.query("api-version") == null) {
                error(call, 404, "Resource not found", null);
            } else if (azure.group(2).equals("embeddings")) {
                embeddings(call, AZURE, azure.group(1));
            } else {
                chat(call, AZURE, azure.group(1));
            }
            return true;
        }
        if (!path.startsWith("/openai/v1/")) {
            return false;
        }
        String route = call.method() + " " + path.substring("/openai/v1".length());
        if (!isKnown(route)) {
            return false;
        }
        if (call.bearer() == null) {
            error(call, 401, "You didn't provide an API key. You need to provide your API key in an Authorization header "
                + "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", null);
            return true;
        }
        switch (route) {
            case "POST /chat/completions" -> chat(call, OPENAI, null);
            case "POST /embeddings" -> embeddings(call, OPENAI, null);
            case "GET /models" -> call.json(200, Json.obj("object", "list",
                "data", MODELS.stream().map(OpenAiHandler::model).toList()));
            case "GET /organization/usage/completions" -> usageReports.openAi(call, Delivery.CHAT, this);
            case "GET /organization/usage/embeddings" -> usageReports.openAi(call, Delivery.EMBEDDINGS, this);
            default -> {
                String id = path.substring("/openai/v1/models/".length());
                if (MODELS.contains(id)) {
                    call.json(200, model(id));
                } else {
                    error(call, 404, "The model '" + id + "' does not exist", "model");
                }
            }
        }
        return true;
    }

    private static boolean isKnown(String route) {
        return route.equals("POST /chat/completions") || route.equals("POST /embeddings") || route.equals("GET /models")
            || route.equals("GET /organization/usage/completions") || route.equals("GET /organization/usage/embeddings")
            || (route.startsWith("GET /models/") && route.length() > "GET /models/".length());
    }

    private static Map<String, Object> model(String id) {
        return Json.obj("id", id, "object", "model", "created", MODELS_CREATED, "owned_by", "system");
    }

    // ---- chat completions -------------------------------------------------------------------

    private void chat(HttpCall call, String provider, @Nullable String deployment) throws IOException {
        Map<String, Object> body;
        try {
            body = Json.readObject(call.body());
        } catch (Json.Malformed e) {
            sim.ledger.record(Delivery.failed(provider, Delivery.CHAT, deployment == null ? "unknown" : deployment, false));
            error(call, 400, "We could not parse the JSON body of your request. (HINT: This likely means you aren't "
                + "using your HTTP library correctly. The OpenAI API expects a JSON payload.)", null);
            return;
        }
        String model = deployment != null ? deployment : Json.string(body, "model");
        boolean stream = Json.bool(body, "stream");
        if (model == null || model.isBlank()) {
            sim.ledger.record(Delivery.failed(provider, Delivery.CHAT, "unknown", stream));
            error(call, 400, "you must provide a model parameter", null);
            return;
        }
        ChatPlan plan;
        try {
            plan = plan(provider, model, body);
        } catch (Json.Invalid e) {
            fail(call, provider, Delivery.CHAT, model, stream, 400, e.getMessage(), e.param());
            return;
        }
        Optional<Fault> fault = sim.fault(provider, model);
        if (answerFault(call, provider, Delivery.CHAT, model, stream, fault)) {
            return;
        }
        sim.awaitFirstByte(fault);
        if (stream) {
            streamChat(call, provider, plan, dropping(fault));
        } else if (dropping(fault)) {
            sim.ledger.record(Delivery.failed(provider, Delivery.CHAT, model, false));
            call.partialThenDrop("application/json", Json.write(completion(plan)), Map.of());
        } else {
            sim.ledger.record(plan.delivery(provider, false, false, plan.completionTokens()));
            call.json(200, completion(plan));
        }
    }

    private ChatPlan plan(String provider, String model, Map<String, Object> body) {
        List<Object> messages = Json.list(body, "messages");
        if (messages.isEmpty()) {
            throw new Json.Invalid("messages", "Missing required parameter: 'messages'.");
        }
        Integer n = Json.integer(body, "n");
        if (n != null && (n < 1 || n > 128)) {
            throw new Json.Invalid("n", n + " is not a valid value for 'n': it must be between 1 and 128.");
        }
        Integer maxCompletion = Json.integer(body, "max_completion_tokens");
        Integer max = maxCompletion != null ? maxCompletion : Json.integer(body, "max_tokens");
        if (max != null && max < 1) {
            throw new Json.Invalid(maxCompletion != null ? "max_completion_tokens" : "max_tokens",
                "Invalid 'max_tokens': integer below minimum value. Expected a value >= 1, but got " + max + " instead.");
        }
        List<String> stops = stops(body.get("stop"));

        StringBuilder promptText = new StringBuilder();
        List<Object> tools = Json.list(body, "tools");
        if (!tools.isEmpty()) {
            promptText.append(Json.text(tools)).append('\n');
        }
        String lastUser = "";
        String lastRole = "";
        for (Object item : messages) {
            Map<String, Object> message = Json.object(item);
            if (message == null || Json.string(message, "role") == null) {
                throw new Json.Invalid("messages", "Invalid value for 'messages': each message needs a 'role'.");
            }
            lastRole = Json.string(message, "role");
            String content = Json.collectText(message.get("content"));
            promptText.append(lastRole).append('\n').append(content).append('\n');
            if (message.get("tool_calls") != null) {
                promptText.append(Json.collectText(message.get("tool_calls"))).append('\n');
            }
            if (lastRole.equals("user")) {
                lastUser = content;
            }
        }
        int[] promptTokens = Tokenizer.encode(model, promptText.toString());
        int cached = sim.cache.automatic(provider, model, promptTokens);

        Answers.ToolSpec tool = toolToCall(tools, body.get("tool_choice"), lastRole, lastUser);
        Map<String, Object> format = Json.object(body, "response_format");
        String formatType = format == null ? "text" : String.valueOf(format.get("type"));
        boolean json = formatType.equals("json_object") || formatType.equals("json_schema");
        Answers.Prompt prompt = new Answers.Prompt(model, lastUser, max == null ? 0 : max, stops, json, tool,
            isReasoningModel(model));
        List<Answers.Reply> replies = new ArrayList<>();
        for (int i = 0; i < (n == null ? 1 : n); i++) {
            replies.add(Answers.reply(prompt, i));
        }
        Map<String, Object> streamOptions = Json.object(body, "stream_options");
        boolean includeUsage = streamOptions != null && Json.bool(streamOptions, "include_usage");
        return new ChatPlan(model, "chatcmpl-" + randomId(29), sim.epochSeconds(),
            promptTokens.length + 3 + 2 * messages.size(), cached, replies, includeUsage);
    }

    private static List<String> stops(@Nullable Object stop) {
        if (stop == null) {
            return List.of();
        }
        if (stop instanceof String s) {
            return List.of(s);
        }
        if (stop instanceof List<?> list && list.size() <= 4 && list.stream().allMatch(String.class::isInstance)) {
            return list.stream().map(String.class::cast).toList();
        }
        throw new Json.Invalid("stop", "Invalid 'stop': expected a string or an array of at most 4 strings.");
    }

    @Nullable
    private static Answers.ToolSpec toolToCall(List<Object> tools, @Nullable Object choice, String lastRole,
                                               String lastUser) {
        if (tools.isEmpty() || "none".equals(choice) || !lastRole.equals("user")) {
            return null;
        }
        String forced = null;
        Map<String, Object> choiceObject = Json.object(choice);
        if (choiceObject != null && Json.object(choiceObject, "function") != null) {
            forced = Json.string(Json.object(choiceObject, "function"), "name");
        }
        if (forced == null && !"required".equals(choice) && !Answers.asksForTool(lastUser)) {
            return null;
        }
        for (Object item : tools) {
            Map<String, Object> function = Json.object(Json.object(item), "function");
            String name = function == null ? null : Json.string(function, "name");
            if (name != null && (forced == null || forced.equals(name))) {
                return new Answers.ToolSpec(name, Json.object(function, "parameters"));
            }
        }
        throw new Json.Invalid("tool_choice", "Invalid value for 'tool_choice': no function named '" + forced
            + "' in 'tools'.");
    }

    static boolean isReasoningModel(String model) {
        String name = model.toLowerCase(Locale.ROOT);
        return name.startsWith("o1") || name.startsWith("o3") || name.startsWith("o4")
            || (name.startsWith("gpt-5") && !name.startsWith("gpt-5-chat"));
    }

    private Map<String, Object> completion(ChatPlan plan) {
        List<Object> choices = new ArrayList<>();
        for (int i = 0; i < plan.replies().size(); i++) {
            Answers.Reply reply = plan.replies().get(i);
            Map<String, Object> message = Json.obj("role", "assistant",
                "content", reply.toolCall() == null ? reply.text() : null, "refusal", null, "annotations", List.of());
            if (reply.toolCall() != null) {
                message.put("tool_calls", List.of(Json.obj("id", "call_" + reply.toolCall().id(), "type", "function",
                    "function", Json.obj("name", reply.toolCall().name(), "arguments", reply.toolCall().arguments()))));
            }
            choices.add(Json.obj("index", i, "message", message, "logprobs", null,
                "finish_reason", finishReason(reply.finish())));
        }
        return Json.obj("id", plan.id(), "object", "chat.completion", "created", plan.created(), "model", plan.model(),
            "choices", choices, "usage", usage(plan, plan.completionTokens()), "service_tier", "default",
            "system_fingerprint", "fp_simulator");
    }

    private static Map<String, Object> usage(ChatPlan plan, int completionTokens) {
        return Json.obj("prompt_tokens", plan.promptTokens(), "completion_tokens", completionTokens,
            "total_tokens", plan.promptTokens() + completionTokens,
            "prompt_tokens_details", Json.obj("cached_tokens", plan.cachedTokens(), "audio_tokens", 0),
            "completion_tokens_details", Json.obj("reasoning_tokens", plan.reasoningTokens(), "audio_tokens", 0,
                "accepted_prediction_tokens", 0, "rejected_prediction_tokens", 0));
    }

    private static String finishReason(Answers.Finish finish) {
        return switch (finish) {
            case STOP, STOP_SEQUENCE -> "stop";
            case LENGTH -> "length";
            case TOOL_CALL -> "tool_calls";
        };
    }

    private void streamChat(HttpCall call, String provider, ChatPlan plan, boolean drop) throws IOException {
        int totalPieces = plan.replies().stream().mapToInt(r -> r.pieces().size()).sum();
        int dropAfter = drop ? Math.max(1, totalPieces / 2) : Integer.MAX_VALUE;
        StringBuilder[] delivered = new StringBuilder[plan.replies().size()];
        int sent = 0;
        boolean recorded = false;
        try {
            EventStream events = call.stream(sim.timing().chunkDelayMs(), Map.of());
            for (int i = 0; i < plan.replies().size(); i++) {
                Answers.Reply reply = plan.replies().get(i);
                delivered[i] = new StringBuilder();
                Map<String, Object> first = Json.obj("role", "assistant", "content",
                    reply.toolCall() == null ? "" : null, "refusal", null);
                if (reply.toolCall() != null) {
                    first.put("tool_calls", List.of(Json.obj("index", 0, "id", "call_" + reply.toolCall().id(),
                        "type", "function", "function", Json.obj("name", reply.toolCall().name(), "arguments", ""))));
                    delivered[i].append(reply.toolCall().name());
                }
                events.event(null, chunk(plan, i, first, null));
                for (String piece : reply.pieces()) {
                    if (sent >= dropAfter) {
                        events.drop();
                    }
                    Map<String, Object> delta = reply.toolCall() == null ? Json.obj("content", piece)
                        : Json.obj("tool_calls", List.of(Json.obj("index", 0, "function", Json.obj("arguments", piece))));
                    events.event(null, chunk(plan, i, delta, null));
                    delivered[i].append(piece);
                    sent++;
                }
                if (drop) {
                    events.drop();
                }
                events.event(null, chunk(plan, i, Json.obj(), finishReason(reply.finish())));
            }
            // Recorded before the last events so that a client that has read the whole answer
            // always finds it in /served.
            sim.ledger.record(plan.delivery(provider, true, false, plan.completionTokens()));
            recorded = true;
            if (plan.includeUsage()) {
                Map<String, Object> last = Json.obj("id", plan.id(), "object", "chat.completion.chunk",
                    "created", plan.created(), "model", plan.model(), "service_tier", "default",
                    "system_fingerprint", "fp_simulator", "choices", List.of(),
                    "usage", usage(plan, plan.completionTokens()));
                events.event(null, last);
            }
            events.data("[DONE]");
            events.end();
        } finally {
            if (!recorded) {
                int output = 0;
                for (int i = 0; i < delivered.length; i++) {
                    if (delivered[i] != null) {
                        output += plan.replies().get(i).reasoningTokens()
                            + Tokenizer.count(plan.model(), delivered[i].toString());
                    }
                }
                sim.ledger.record(plan.delivery(provider, true, drop, output));
            }
        }
    }

    private static Map<String, Object> chunk(ChatPlan plan, int index, Map<String, Object> delta,
                                             @Nullable String finishReason) {
        Map<String, Object> chunk = Json.obj("id", plan.id(), "object", "chat.completion.chunk",
            "created", plan.created(), "model", plan.model(), "service_tier", "default",
            "system_fingerprint", "fp_simulator",
            "choices", List.of(Json.obj("index", index, "delta", delta, "logprobs", null, "finish_reason", finishReason)));
        if (plan.includeUsage()) {
            chunk.put("usage", null);
        }
        return chunk;
    }

    /** A chat completion decided before the first byte is sent. */
    private record ChatPlan(String model, String id, long created, int promptTokens, int cachedTokens,
                            List<Answers.Reply> replies, boolean includeUsage) {

        int reasoningTokens() {
            return replies.stream().mapToInt(Answers.Reply::reasoningTokens).sum();
        }

        int completionTokens() {
            return replies.stream()
                .mapToInt(r -> r.reasoningTokens() + Tokenizer.count(model, r.outputText())).sum();
        }

        Delivery delivery(String provider, boolean streamed, boolean error, int outputTokens) {
            return new Delivery(provider, Delivery.CHAT, model, streamed, error, promptTokens, cachedTokens, 0, 0,
                outputTokens, Math.min(outputTokens, reasoningTokens()));
        }
    }

    // ---- embeddings -------------------------------------------------------------------------

    private void embeddings(HttpCall call, String provider, @Nullable String deployment) throws IOException {
        Map<String, Object> body;
        try {
            body = Json.readObject(call.body());
        } catch (Json.Malformed e) {
            sim.ledger.record(Delivery.failed(provider, Delivery.EMBEDDINGS,
                deployment == null ? "unknown" : deployment, false));
            error(call, 400, "We could not parse the JSON body of your request. (HINT: This likely means you aren't "
                + "using your HTTP library correctly. The OpenAI API expects a JSON payload.)", null);
            return;
        }
        String model = deployment != null ? deployment : Json.string(body, "model");
        if (model == null || model.isBlank()) {
            sim.ledger.record(Delivery.failed(provider, Delivery.EMBEDDINGS, "unknown", false));
            error(call, 400, "you must provide a model parameter", null);
            return;
        }
        List<Object> inputs;
        int dimensions;
        try {
            inputs = embeddingInputs(body.get("input"));
            dimensions = dimensions(model, Json.integer(body, "dimensions"));
        } catch (Json.Invalid e) {
            fail(call, provider, Delivery.EMBEDDINGS, model, false, 400, e.getMessage(), e.param());
            return;
        }
        Optional<Fault> fault = sim.fault(provider, model);
        if (answerFault(call, provider, Delivery.EMBEDDINGS, model, false, fault)) {
            return;
        }
        sim.awaitFirstByte(fault);
        boolean base64 = "base64".equals(Json.string(body, "encoding_format"));
        List<Object> data = new ArrayList<>();
        int tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            Object input = inputs.get(i);
            String key = input instanceof String s ? s : String.valueOf(input);
            tokens += input instanceof String s ? Tokenizer.count(model, s) : ((List<?>) input).size();
            float[] vector = unitVector(model + '\u0000' + key, dimensions);
            data.add(Json.obj("object", "embedding", "index", i, "embedding", base64 ? base64(vector) : vector));
        }
        Map<String, Object> answer = Json.obj("object", "list", "data", data, "model", model,
            "usage", Json.obj("prompt_tokens", tokens, "total_tokens", tokens));
        if (dropping(fault)) {
            sim.ledger.record(Delivery.failed(provider, Delivery.EMBEDDINGS, model, false));
            call.partialThenDrop("application/json", Json.write(answer), Map.of());
            return;
        }
        sim.ledger.record(new Delivery(provider, Delivery.EMBEDDINGS, model, false, false, tokens, 0, 0, 0, 0, 0));
        call.json(200, answer);
    }

    private static List<Object> embeddingInputs(@Nullable Object input) {
        if (input instanceof String s) {
            if (s.isEmpty()) {
                throw new Json.Invalid("input", "'$.input' is invalid. Please check the API reference.");
            }
            return List.of(s);
        }
        if (input instanceof List<?> list && !list.isEmpty()) {
            if (list.stream().allMatch(Number.class::isInstance)) {
                return List.of(list);
            }
            if (list.stream().allMatch(item -> item instanceof String s && !s.isEmpty()
                || item instanceof List<?> tokens && !tokens.isEmpty())) {
                return new ArrayList<>(list);
            }
        }
        throw new Json.Invalid("input", "'$.input' is invalid. Please check the API reference.");
    }

    private static int dimensions(String model, @Nullable Integer requested) {
        int native_ = model.contains("3-large") ? 3072 : 1536;
        if (requested == null) {
            return native_;
        }
        if (!model.contains("embedding-3")) {
            throw new Json.Invalid("dimensions", "This model does not support specifying dimensions.");
        }
        if (requested < 1 || requested > native_) {
            throw new Json.Invalid("dimensions", "Invalid value for 'dimensions' = " + requested
                + ". Must be between 1 and " + native_ + ".");
        }
        return requested;
    }

    static float[] unitVector(String seed, int dimensions) {
        SplittableRandom random = new SplittableRandom(Answers.hash(seed));
        float[] vector = new float[dimensions];
        double norm = 0;
        for (int i = 0; i < dimensions; i++) {
            double value = random.nextDouble(-1, 1);
            vector[i] = (float) value;
            norm += value * value;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dimensions; i++) {
            vector[i] *= scale;
        }
        return vector;
    }

    private static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : vector) {
            bytes.putFloat(value);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    // ---- errors -----------------------------------------------------------------------------

    @Override
    Map<String, Object> errorBody(int status, String message, @Nullable String param) {
        String type = switch (status) {
            case 429 -> "requests";
            case 401, 400, 404, 409, 413, 422 -> "invalid_request_error";
            case 403 -> "permission_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
        String code = switch (status) {
            case 401 -> "invalid_api_key";
            case 404 -> "model_not_found";
            case 429 -> "rate_limit_exceeded";
            default -> null;
        };
        if (status == 401 && message.startsWith("You didn't provide")) {
            code = null;
        }
        return Json.obj("error", Json.obj("message", message, "type", type, "param", param, "code", code));
    }

    @Override
    String faultMessage(int status, String model) {
        return switch (status) {
            case 400 -> "Invalid request.";
            case 401 -> "Incorrect API key provided.";
            case 403 -> "You are not allowed to sample from this model.";
            case 404 -> "The model `" + model + "` does not exist or you do not have access to it.";
            case 429 -> "Rate limit reached for " + model + " in organization org-simulator on requests per min (RPM): "
                + "Limit 500, Used 500, Requested 1. Please try again in 120ms.";
            case 503 -> "The engine is currently overloaded, please try again later.";
            default -> status >= 500 ? "The server had an error while processing your request. Sorry about that!"
                : "Request failed with status " + status + ".";
        };
    }

    @Override
    String malformedJson() {
        return "{\"id\":\"chatcmpl-simulator\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":\"The answer is";
    }

    @Override
    String malformedEvents() {
        return "data: {\"id\":\"chatcmpl-simulator\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":"
            + "{\"content\":\"The\n\ndata: {not json}\n\ndata: [DONE]\n\n";
    }

    static String randomId(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder id = new StringBuilder(length);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < length; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }
}
