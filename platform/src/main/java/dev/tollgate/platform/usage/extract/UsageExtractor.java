package dev.tollgate.platform.usage.extract;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One genai-prices usage extractor: where the usage object sits in a response ({@code root},
 * {@code "$"} for the body itself), where the model name sits, and {@code path → dest}
 * mappings. Several mappings onto one destination are summed (Anthropic's input tokens are
 * {@code input_tokens + cache_creation_input_tokens + cache_read_input_tokens}). A path step is
 * a key or an array match (the first array element whose {@code field} matches).
 */
public final class UsageExtractor {

    private final String provider;
    private final String apiFlavor;
    @Nullable
    private final List<Step> root;
    private final List<Step> modelPath;
    private final List<Mapping> mappings;

    private UsageExtractor(String provider, String apiFlavor, @Nullable List<Step> root, List<Step> modelPath,
                           List<Mapping> mappings) {
        this.provider = provider;
        this.apiFlavor = apiFlavor;
        this.root = root;
        this.modelPath = modelPath;
        this.mappings = mappings;
    }

    /** A path step: an object key, or the first array element whose {@code field} matches. */
    sealed interface Step {
        record Key(String name) implements Step {
            @Override
            public String toString() {
                return name;
            }
        }

        record ArrayMatch(String field, MatchRule rule) implements Step {
            @Override
            public String toString() {
                return "[" + field + " matching]";
            }
        }
    }

    record Mapping(List<Step> path, String dest, boolean required) {
    }

    /** Parses one extractor object of the table. */
    public static UsageExtractor parse(String provider, JsonNode node) {
        String flavor = node.get("api_flavor") == null ? "default" : node.get("api_flavor").getStringValue();
        JsonNode rootNode = node.get("root");
        List<Step> root = rootNode != null && rootNode.isString() && "$".equals(rootNode.getStringValue())
                ? null : path(rootNode);
        List<Step> model = node.get("model_path") == null ? List.of(new Step.Key("model")) : path(node.get("model_path"));
        List<Mapping> mappings = new ArrayList<>();
        for (JsonNode m : node.get("mappings").values()) {
            JsonNode req = m.get("required");
            mappings.add(new Mapping(path(m.get("path")), m.get("dest").getStringValue(), req == null || req.getBooleanValue()));
        }
        return new UsageExtractor(provider, flavor, root, model, List.copyOf(mappings));
    }

    private static List<Step> path(JsonNode node) {
        if (node == null) {
            throw new IllegalArgumentException("extractor path missing");
        }
        if (node.isString()) {
            return List.of(new Step.Key(node.getStringValue()));
        }
        List<Step> steps = new ArrayList<>();
        for (JsonNode s : node.values()) {
            if (s.isString()) {
                steps.add(new Step.Key(s.getStringValue()));
            } else {
                steps.add(new Step.ArrayMatch(s.get("field").getStringValue(), MatchRule.parse(s.get("match"))));
            }
        }
        if (steps.isEmpty() || !(steps.get(steps.size() - 1) instanceof Step.Key)) {
            throw new IllegalArgumentException("an extractor path must end with a key");
        }
        return List.copyOf(steps);
    }

    public String apiFlavor() {
        return apiFlavor;
    }

    /**
     * Reads the usage of {@code body}.
     *
     * @throws UsageExtractionException when a required value is missing or has the wrong type,
     *                                  or when no usage value at all is present
     */
    public ExtractedUsage extract(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new UsageExtractionException("the response body must be a JSON object");
        }
        JsonNode modelNode = walk(modelPath, body, false);
        String model = modelNode != null && modelNode.isString() ? modelNode.getStringValue() : null;
        return counts(model, root == null ? body : walk(root, body, true), true);
    }

    /**
     * Reads a usage object on its own: what sits at this extractor's root. Every mapping is
     * optional here, because a stream event carries a part of the usage (Anthropic's
     * {@code message_start} the input counts, {@code message_delta} the output count); a value
     * that is not a count is left out, and no value at all gives empty counts.
     */
    public ExtractedUsage extractUsageObject(@Nullable JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return new ExtractedUsage(provider, apiFlavor, null, Map.of());
        }
        return counts(null, usage, false);
    }

    private ExtractedUsage counts(@Nullable String model, JsonNode usage, boolean strict) {
        if (!usage.isObject()) {
            throw new UsageExtractionException("expected `" + dotted(root) + "` to be an object");
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Mapping m : mappings) {
            boolean required = strict && m.required();
            JsonNode v = walk(m.path(), usage, required);
            if (v == null) {
                continue;
            }
            Long n = count(v);
            if (n == null) {
                if (required) {
                    throw new UsageExtractionException("expected `" + dotted(root, m.path()) + "` to be a non-negative integer");
                }
                continue;
            }
            counts.merge(m.dest(), n, Long::sum);
        }
        if (strict && counts.isEmpty()) {
            throw new UsageExtractionException("no usage information found at `" + dotted(root) + "`");
        }
        return new ExtractedUsage(provider, apiFlavor, model, counts);
    }

    /** True when every required value of this extractor is present in {@code body}. */
    boolean fits(JsonNode body) {
        try {
            extract(body);
            return true;
        } catch (UsageExtractionException e) {
            return false;
        }
    }

    @Nullable
    private JsonNode walk(List<Step> path, JsonNode from, boolean required) {
        JsonNode current = from;
        for (Step step : path) {
            JsonNode next = null;
            if (step instanceof Step.Key k) {
                next = current.isObject() ? current.get(k.name()) : null;
            } else if (step instanceof Step.ArrayMatch am && current.isArray()) {
                for (JsonNode item : current.values()) {
                    JsonNode f = item.isObject() ? item.get(am.field()) : null;
                    if (f != null && f.isString() && am.rule().matches(f.getStringValue())) {
                        next = item;
                        break;
                    }
                }
            }
            if (next == null || next.isNull()) {
                if (required) {
                    throw new UsageExtractionException("missing value at `" + dotted(path) + "`");
                }
                return null;
            }
            current = next;
        }
        return current;
    }

    @Nullable
    private static Long count(JsonNode v) {
        if (!v.isNumber()) {
            return null;
        }
        BigDecimal d = new BigDecimal(v.getNumberValue().toString());
        if (d.signum() < 0 || d.stripTrailingZeros().scale() > 0) {
            return null;
        }
        return d.longValueExact();
    }

    @SafeVarargs
    private static String dotted(List<Step>... parts) {
        List<String> names = new ArrayList<>();
        for (List<Step> p : parts) {
            if (p != null) {
                p.forEach(s -> names.add(s.toString()));
            }
        }
        return names.isEmpty() ? "$" : names.stream().collect(Collectors.joining("."));
    }
}
