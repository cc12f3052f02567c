package dev.tollgate.platform.simulator;

import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic answers: a function of the model, the last user message and the choice index,
 * shaped by the request's limits (max tokens, stop sequences, JSON mode, tools).
 */
final class Answers {

    private static final String[] WORDS = {
        "the", "gateway", "answers", "quickly", "with", "a", "simulated", "reply", "about", "your",
        "question", "and", "every", "token", "is", "counted", "carefully", "before", "billing", "starts",
        "models", "stream", "words", "in", "order", "while", "tenants", "watch", "their", "budgets",
        "cache", "hits", "save", "money", "on", "long", "prompts", "so", "latency", "stays",
        "low", "for", "all", "requests", "that", "arrive", "today", "here"
    };

    private Answers() {
    }

    /** Why a choice ended. */
    enum Finish { STOP, LENGTH, STOP_SEQUENCE, TOOL_CALL }

    /** A tool the answer calls: {@code parameters} is the tool's JSON schema, if any. */
    record ToolSpec(String name, @Nullable Map<String, Object> parameters) {
    }

    /** A tool call of an answer; {@code arguments} is a JSON object text. */
    record ToolCall(String id, String name, String arguments) {
    }

    /**
     * What to answer.
     *
     * @param maxTokens  visible plus reasoning output limit, 0 for none
     * @param tool       the tool to call, or null to answer with text
     * @param reasoning  whether the model thinks before answering (reasoning tokens)
     */
    record Prompt(String model, String lastUserText, int maxTokens, List<String> stops, boolean json,
                  @Nullable ToolSpec tool, boolean reasoning) {
    }

    /** One choice of an answer. */
    record Reply(String text, @Nullable ToolCall toolCall, Finish finish, @Nullable String stopSequence,
                 int reasoningTokens) {

        /** The text whose tokens are the visible output (a tool call counts its name and arguments). */
        String outputText() {
            return toolCall == null ? text : toolCall.name() + toolCall.arguments();
        }

        /** The pieces a stream sends, in order; their concatenation is the text or the tool arguments. */
        List<String> pieces() {
            List<String> pieces = new ArrayList<>();
            if (toolCall != null) {
                String args = toolCall.arguments();
                for (int i = 0; i < args.length(); i += 12) {
                    pieces.add(args.substring(i, Math.min(args.length(), i + 12)));
                }
            } else if (!text.isEmpty()) {
                pieces.addAll(List.of(text.split("(?<=\\S)(?=\\s)")));
            }
            return pieces;
        }
    }

    static Reply reply(Prompt prompt, int choice) {
        long hash = hash(prompt.model() + '\u0000' + prompt.lastUserText() + '\u0000' + choice);
        int reasoning = prompt.reasoning() ? 32 + (int) Long.remainderUnsigned(hash >>> 8, 96) : 0;
        if (prompt.maxTokens() > 0 && reasoning >= prompt.maxTokens()) {
            return new Reply("", null, Finish.LENGTH, null, prompt.maxTokens());
        }
        int visibleBudget = prompt.maxTokens() == 0 ? 0 : prompt.maxTokens() - reasoning;
        if (prompt.tool() != null) {
            ToolSpec tool = prompt.tool();
            String id = Long.toUnsignedString(hash, 36);
            return new Reply("", new ToolCall(id, tool.name(), arguments(tool.parameters())), Finish.TOOL_CALL,
                null, reasoning);
        }
        String text = sentence(hash);
        if (prompt.json()) {
            text = Json.text(Map.of("answer", text));
        }
        Finish finish = Finish.STOP;
        String stopped = null;
        int cut = text.length();
        for (String stop : prompt.stops()) {
            int at = stop.isEmpty() ? -1 : text.indexOf(stop);
            if (at >= 0 && at < cut) {
                cut = at;
                stopped = stop;
            }
        }
        if (stopped != null) {
            text = text.substring(0, cut);
            finish = Finish.STOP_SEQUENCE;
        }
        if (visibleBudget > 0 && Tokenizer.count(prompt.model(), text) > visibleBudget) {
            text = Tokenizer.truncate(prompt.model(), text, visibleBudget);
            finish = Finish.LENGTH;
            stopped = null;
        }
        return new Reply(text, null, finish, stopped, reasoning);
    }

    static boolean asksForTool(String lastUserText) {
        return lastUserText.toLowerCase(Locale.ROOT).contains("call");
    }

    private static String sentence(long hash) {
        SplittableRandom random = new SplittableRandom(hash);
        int length = 8 + random.nextInt(17);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            String word = WORDS[random.nextInt(WORDS.length)];
            if (i == 0) {
                text.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
            } else {
                text.append(' ').append(word);
            }
        }
        return text.append('.').toString();
    }

    /** Arguments for a tool call: a placeholder for every required property of the schema. */
    private static String arguments(@Nullable Map<String, Object> schema) {
        Map<String, Object> args = new LinkedHashMap<>();
        if (schema != null) {
            Map<String, Object> properties = Json.object(schema, "properties");
            for (Object required : Json.list(schema, "required")) {
                if (required instanceof String name) {
                    Map<String, Object> property = properties == null ? null : Json.object(properties, name);
                    args.put(name, placeholder(property));
                }
            }
        }
        return Json.text(args);
    }

    private static Object placeholder(@Nullable Map<String, Object> property) {
        if (property == null) {
            return "sample";
        }
        List<Object> choices = Json.list(property, "enum");
        if (!choices.isEmpty()) {
            return choices.get(0);
        }
        Object type = property.get("type");
        String name = type instanceof List<?> types && !types.isEmpty() ? String.valueOf(types.get(0)) : String.valueOf(type);
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "integer", "number" -> 1;
            case "boolean" -> true;
            case "array" -> List.of();
            case "object" -> Map.of();
            default -> "sample";
        };
    }

    static long hash(String text) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            hash ^= text.charAt(i);
            hash *= 0x100000001b3L;
        }
        return hash ^ (hash >>> 31);
    }
}
