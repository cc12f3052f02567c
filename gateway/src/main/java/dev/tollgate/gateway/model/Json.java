package dev.tollgate.gateway.model;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Helpers over Micronaut's immutable {@link JsonNode} trees for the wire codecs: an object
 * builder that leaves out nulls (providers reject many explicit nulls) and null-tolerant readers.
 */
public final class Json {

    private Json() {
    }

    /** A new object builder. */
    public static Obj obj() {
        return new Obj();
    }

    public static JsonNode str(String value) {
        return JsonNode.createStringNode(value);
    }

    public static JsonNode num(long value) {
        return JsonNode.createNumberNode(value);
    }

    public static JsonNode arr(List<JsonNode> values) {
        return JsonNode.createArrayNode(values);
    }

    public static JsonNode strings(List<String> values) {
        List<JsonNode> nodes = new ArrayList<>(values.size());
        values.forEach(v -> nodes.add(str(v)));
        return arr(nodes);
    }

    /** The field as a string, or null when missing, JSON null or not a string. */
    @Nullable
    public static String text(@Nullable JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isString() ? v.getStringValue() : null;
    }

    /** The field as a long, or {@code fallback} when missing or not a number. */
    public static long number(@Nullable JsonNode node, String field, long fallback) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isNumber() ? v.getLongValue() : fallback;
    }

    /** The field when present and not JSON null. */
    @Nullable
    public static JsonNode field(@Nullable JsonNode node, String field) {
        JsonNode v = node == null || !node.isObject() ? null : node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    /** The elements of an array field, empty when missing or not an array. */
    public static List<JsonNode> items(@Nullable JsonNode node, String field) {
        JsonNode v = field(node, field);
        List<JsonNode> out = new ArrayList<>();
        if (v != null && v.isArray()) {
            v.values().forEach(out::add);
        }
        return out;
    }

    /** Builds an object in insertion order; {@code null} values are left out. */
    public static final class Obj {

        private final Map<String, JsonNode> fields = new LinkedHashMap<>();

        public Obj put(String name, @Nullable JsonNode value) {
            if (value != null) {
                fields.put(name, value);
            }
            return this;
        }

        public Obj put(String name, @Nullable String value) {
            return value == null ? this : put(name, str(value));
        }

        public Obj put(String name, @Nullable Number value) {
            if (value == null) {
                return this;
            }
            if (value instanceof Integer || value instanceof Long) {
                return put(name, JsonNode.createNumberNode(value.longValue()));
            }
            return put(name, JsonNode.createNumberNode(value.doubleValue()));
        }

        public Obj put(String name, boolean value) {
            return put(name, JsonNode.createBooleanNode(value));
        }

        /** Puts an explicit JSON null (where a wire format requires the field). */
        public Obj putNull(String name) {
            fields.put(name, JsonNode.nullNode());
            return this;
        }

        public boolean isEmpty() {
            return fields.isEmpty();
        }

        public JsonNode build() {
            return JsonNode.createObjectNode(fields);
        }
    }
}
