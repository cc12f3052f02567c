package dev.tollgate.platform.usage.extract;

import io.micronaut.json.tree.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A genai-prices match clause: {@code equals}, {@code starts_with}, {@code ends_with},
 * {@code contains}, {@code regex} (searched anywhere in the text, like Python's
 * {@code re.search}), or {@code or} / {@code and} of clauses. Case-sensitive, as in the table.
 */
public sealed interface MatchRule {

    boolean matches(String text);

    record Equals(String value) implements MatchRule {
        public boolean matches(String text) {
            return text.equals(value);
        }
    }

    record StartsWith(String prefix) implements MatchRule {
        public boolean matches(String text) {
            return text.startsWith(prefix);
        }
    }

    record EndsWith(String suffix) implements MatchRule {
        public boolean matches(String text) {
            return text.endsWith(suffix);
        }
    }

    record Contains(String part) implements MatchRule {
        public boolean matches(String text) {
            return text.contains(part);
        }
    }

    record Regex(Pattern pattern) implements MatchRule {
        public boolean matches(String text) {
            return pattern.matcher(text).find();
        }
    }

    record AnyOf(List<MatchRule> rules) implements MatchRule {
        public boolean matches(String text) {
            for (MatchRule r : rules) {
                if (r.matches(text)) {
                    return true;
                }
            }
            return false;
        }
    }

    record AllOf(List<MatchRule> rules) implements MatchRule {
        public boolean matches(String text) {
            for (MatchRule r : rules) {
                if (!r.matches(text)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Parses a clause object; throws {@link IllegalArgumentException} for anything else. */
    static MatchRule parse(JsonNode node) {
        if (node == null || !node.isObject() || node.size() != 1) {
            throw new IllegalArgumentException("a match clause is an object with exactly one key");
        }
        Map.Entry<String, JsonNode> e = node.entries().iterator().next();
        JsonNode v = e.getValue();
        return switch (e.getKey()) {
            case "equals" -> new Equals(text(v, "equals"));
            case "starts_with" -> new StartsWith(text(v, "starts_with"));
            case "ends_with" -> new EndsWith(text(v, "ends_with"));
            case "contains" -> new Contains(text(v, "contains"));
            case "regex" -> new Regex(Pattern.compile(text(v, "regex")));
            case "or" -> new AnyOf(list(v, "or"));
            case "and" -> new AllOf(list(v, "and"));
            default -> throw new IllegalArgumentException("unknown match clause '" + e.getKey() + "'");
        };
    }

    private static String text(JsonNode v, String key) {
        if (!v.isString()) {
            throw new IllegalArgumentException("'" + key + "' takes a string");
        }
        return v.getStringValue();
    }

    private static List<MatchRule> list(JsonNode v, String key) {
        if (!v.isArray() || v.size() == 0) {
            throw new IllegalArgumentException("'" + key + "' takes a non-empty list of clauses");
        }
        List<MatchRule> rules = new ArrayList<>();
        for (JsonNode c : v.values()) {
            rules.add(parse(c));
        }
        return List.copyOf(rules);
    }
}
