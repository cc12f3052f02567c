package dev.tollgate.gateway.route;

import dev.tollgate.gateway.model.Json;
import dev.tollgate.platform.http.ApiException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.tree.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates a route's JSON into a {@link RouteConfig}, and writes one back. Every
 * rejection is a 400 ({@code invalid_route_config}) whose {@code param} is the path of the
 * offending value, e.g. {@code targets[1].weight}, and whose message says what is wrong with it.
 * Unknown fields are refused rather than ignored, so a typo never silently turns a feature off.
 */
public final class RouteConfigParser {

    /** The error code of every rejected route. */
    public static final String CODE = "invalid_route_config";
    static final int MAX_TARGETS = 16;
    static final int MAX_ATTEMPTS = 10;
    static final int MAX_TIMEOUT_MS = 600_000;
    static final int MAX_TTL_SECONDS = 30 * 24 * 3600;

    private static final Set<String> TOP = Set.of("strategy", "retry", "targets", "cache");
    private static final Set<String> STRATEGY = Set.of("mode", "on_status_codes");
    private static final Set<String> RETRY = Set.of("attempts", "on_status_codes");
    private static final Set<String> TARGET = Set.of("provider", "model", "weight", "timeout_ms", "override_params");
    private static final Set<String> CACHE = Set.of("mode", "ttl_seconds", "threshold", "multi_turn");

    private RouteConfigParser() {
    }

    /**
     * Parses a route.
     *
     * @param knownProviders the configured provider target names; a target naming another is refused
     */
    public static RouteConfig parse(@Nullable JsonNode node, Set<String> knownProviders) {
        object(node, "", "the route config");
        fields(node, TOP, "");
        RouteConfig.Strategy strategy = strategy(Json.field(node, "strategy"));
        RouteConfig.Retry retry = retry(Json.field(node, "retry"));
        JsonNode targetsNode = node.get("targets");
        if (targetsNode == null || targetsNode.isNull()) {
            throw invalid("targets is required: a list of at least one {\"provider\", \"model\"}", "targets");
        }
        if (!targetsNode.isArray() || targetsNode.size() == 0) {
            throw invalid("targets must be a non-empty array", "targets");
        }
        if (targetsNode.size() > MAX_TARGETS) {
            throw invalid("targets may hold at most " + MAX_TARGETS + " entries", "targets");
        }
        List<RouteConfig.Target> targets = new ArrayList<>();
        int i = 0;
        for (JsonNode t : targetsNode.values()) {
            targets.add(target(t, "targets[" + i++ + "]", knownProviders));
        }
        RouteConfig.Cache cache = cache(Json.field(node, "cache"));
        return new RouteConfig(strategy, retry, targets, cache);
    }

    private static RouteConfig.Strategy strategy(@Nullable JsonNode node) {
        if (node == null) {
            return new RouteConfig.Strategy(RouteConfig.Mode.FALLBACK, List.of());
        }
        object(node, "strategy", "strategy");
        fields(node, STRATEGY, "strategy.");
        String mode = requiredString(node, "mode", "strategy.mode");
        RouteConfig.Mode parsed = switch (mode.toLowerCase(Locale.ROOT)) {
            case "fallback" -> RouteConfig.Mode.FALLBACK;
            case "loadbalance" -> RouteConfig.Mode.LOADBALANCE;
            default -> throw invalid("strategy.mode must be \"fallback\" or \"loadbalance\", not \"" + mode + "\"", "strategy.mode");
        };
        return new RouteConfig.Strategy(parsed, statuses(Json.field(node, "on_status_codes"), "strategy.on_status_codes", List.of()));
    }

    private static RouteConfig.Retry retry(@Nullable JsonNode node) {
        if (node == null) {
            return RouteConfig.Retry.NONE;
        }
        object(node, "retry", "retry");
        fields(node, RETRY, "retry.");
        int attempts = (int) integer(node, "attempts", "retry.attempts", 0, MAX_ATTEMPTS, 0);
        return new RouteConfig.Retry(attempts, statuses(Json.field(node, "on_status_codes"), "retry.on_status_codes",
                RouteConfig.DEFAULT_RETRY_STATUSES));
    }

    private static RouteConfig.Target target(JsonNode node, String path, Set<String> knownProviders) {
        object(node, path, path);
        fields(node, TARGET, path + ".");
        String provider = requiredString(node, "provider", path + ".provider");
        if (!knownProviders.contains(provider)) {
            throw invalid(path + ".provider \"" + provider + "\" is not a configured provider (known: "
                    + String.join(", ", knownProviders.stream().sorted().toList()) + ")", path + ".provider");
        }
        String model = optionalString(node, "model", path + ".model");
        double weight = 1;
        JsonNode w = Json.field(node, "weight");
        if (w != null) {
            if (!w.isNumber() || !(w.getDoubleValue() > 0) || w.getDoubleValue() > 1_000_000) {
                throw invalid(path + ".weight must be a number greater than 0 (and at most 1000000)", path + ".weight");
            }
            weight = w.getDoubleValue();
        }
        Integer timeout = Json.field(node, "timeout_ms") == null ? null
                : (int) integer(node, "timeout_ms", path + ".timeout_ms", 1, MAX_TIMEOUT_MS, 0);
        Map<String, JsonNode> overrides = new LinkedHashMap<>();
        JsonNode params = Json.field(node, "override_params");
        if (params != null) {
            object(params, path + ".override_params", path + ".override_params");
            for (Map.Entry<String, JsonNode> e : params.entries()) {
                String p = path + ".override_params." + e.getKey();
                overrides.put(e.getKey(), overrideParam(e.getKey(), e.getValue(), p));
            }
        }
        return new RouteConfig.Target(provider, model, weight, timeout, overrides);
    }

    private static JsonNode overrideParam(String name, JsonNode value, String path) {
        switch (name) {
            case "temperature" -> range(value, path, 0, 2);
            case "top_p" -> range(value, path, 0, 1);
            case "presence_penalty", "frequency_penalty" -> range(value, path, -2, 2);
            case "max_tokens" -> {
                if (!isInteger(value) || value.getLongValue() < 1 || value.getLongValue() > 1_000_000) {
                    throw invalid(path + " must be an integer between 1 and 1000000", path);
                }
            }
            case "seed" -> {
                if (!isInteger(value)) {
                    throw invalid(path + " must be an integer", path);
                }
            }
            case "stop" -> {
                boolean ok = value.isString() || value.isArray() && value.size() <= 4;
                if (value.isArray()) {
                    for (JsonNode s : value.values()) {
                        ok &= s.isString();
                    }
                }
                if (!ok) {
                    throw invalid(path + " must be a string or an array of at most 4 strings", path);
                }
            }
            default -> throw invalid(path + " cannot be overridden (allowed: "
                    + String.join(", ", RouteConfig.OVERRIDABLE.stream().sorted().toList()) + ")", path);
        }
        return value;
    }

    @Nullable
    private static RouteConfig.Cache cache(@Nullable JsonNode node) {
        if (node == null) {
            return null;
        }
        object(node, "cache", "cache");
        fields(node, CACHE, "cache.");
        String mode = requiredString(node, "mode", "cache.mode");
        RouteConfig.CacheMode parsed = switch (mode.toLowerCase(Locale.ROOT)) {
            case "simple" -> RouteConfig.CacheMode.SIMPLE;
            case "semantic" -> RouteConfig.CacheMode.SEMANTIC;
            default -> throw invalid("cache.mode must be \"simple\" or \"semantic\", not \"" + mode + "\"", "cache.mode");
        };
        int ttl = (int) integer(node, "ttl_seconds", "cache.ttl_seconds", 1, MAX_TTL_SECONDS, RouteConfig.DEFAULT_TTL_SECONDS);
        double threshold = RouteConfig.DEFAULT_THRESHOLD;
        JsonNode t = Json.field(node, "threshold");
        if (t != null) {
            if (parsed != RouteConfig.CacheMode.SEMANTIC) {
                throw invalid("cache.threshold applies only to cache.mode \"semantic\"", "cache.threshold");
            }
            if (!t.isNumber() || !(t.getDoubleValue() > 0) || t.getDoubleValue() > 1) {
                throw invalid("cache.threshold must be a number above 0 and at most 1 (cosine similarity)", "cache.threshold");
            }
            threshold = t.getDoubleValue();
        }
        boolean multiTurn = false;
        JsonNode m = Json.field(node, "multi_turn");
        if (m != null) {
            if (!m.isBoolean()) {
                throw invalid("cache.multi_turn must be true or false", "cache.multi_turn");
            }
            multiTurn = m.getBooleanValue();
        }
        return new RouteConfig.Cache(parsed, ttl, threshold, multiTurn);
    }

    /** The route as JSON, in the shape {@link #parse} reads (defaults written out). */
    public static JsonNode write(RouteConfig config) {
        List<JsonNode> targets = new ArrayList<>();
        for (RouteConfig.Target t : config.targets()) {
            Json.Obj o = Json.obj().put("provider", t.provider()).put("model", t.model()).put("weight", t.weight())
                    .put("timeout_ms", t.timeoutMs());
            if (!t.overrideParams().isEmpty()) {
                o.put("override_params", JsonNode.createObjectNode(new LinkedHashMap<>(t.overrideParams())));
            }
            targets.add(o.build());
        }
        Json.Obj strategy = Json.obj().put("mode", config.strategy().mode().name().toLowerCase(Locale.ROOT));
        if (!config.strategy().onStatusCodes().isEmpty()) {
            strategy.put("on_status_codes", ints(config.strategy().onStatusCodes()));
        }
        Json.Obj out = Json.obj()
                .put("strategy", strategy.build())
                .put("retry", Json.obj().put("attempts", config.retry().attempts())
                        .put("on_status_codes", ints(config.retry().onStatusCodes())).build())
                .put("targets", Json.arr(targets));
        RouteConfig.Cache c = config.cache();
        if (c != null) {
            Json.Obj cache = Json.obj().put("mode", c.mode().name().toLowerCase(Locale.ROOT)).put("ttl_seconds", c.ttlSeconds());
            if (c.mode() == RouteConfig.CacheMode.SEMANTIC) {
                cache.put("threshold", c.threshold()).put("multi_turn", c.multiTurn());
            }
            out.put("cache", cache.build());
        }
        return out.build();
    }

    // ---------------------------------------------------------------- helpers

    private static JsonNode ints(List<Integer> values) {
        List<JsonNode> nodes = new ArrayList<>();
        values.forEach(v -> nodes.add(Json.num(v)));
        return Json.arr(nodes);
    }

    private static List<Integer> statuses(@Nullable JsonNode node, String path, List<Integer> fallback) {
        if (node == null) {
            return fallback;
        }
        if (!node.isArray()) {
            throw invalid(path + " must be an array of HTTP status codes", path);
        }
        Set<Integer> out = new LinkedHashSet<>();
        int i = 0;
        for (JsonNode s : node.values()) {
            if (!isInteger(s) || s.getLongValue() < 400 || s.getLongValue() > 599) {
                throw invalid(path + "[" + i + "] must be an HTTP error status between 400 and 599", path + "[" + i + "]");
            }
            out.add(s.getIntValue());
            i++;
        }
        return List.copyOf(out);
    }

    private static void object(@Nullable JsonNode node, String path, String what) {
        if (node == null || !node.isObject()) {
            throw invalid(what + " must be a JSON object", path.isEmpty() ? null : path);
        }
    }

    private static void fields(JsonNode node, Set<String> allowed, String prefix) {
        for (Map.Entry<String, JsonNode> e : node.entries()) {
            if (!allowed.contains(e.getKey())) {
                throw invalid("unknown field " + prefix + e.getKey() + " (allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")", prefix + e.getKey());
            }
        }
    }

    private static String requiredString(JsonNode node, String field, String path) {
        String value = optionalString(node, field, path);
        if (value == null) {
            throw invalid(path + " is required", path);
        }
        return value;
    }

    @Nullable
    private static String optionalString(JsonNode node, String field, String path) {
        JsonNode v = Json.field(node, field);
        if (v == null) {
            return null;
        }
        if (!v.isString() || v.getStringValue().isBlank()) {
            throw invalid(path + " must be a non-empty string", path);
        }
        return v.getStringValue().trim();
    }

    private static long integer(JsonNode node, String field, String path, long min, long max, long fallback) {
        JsonNode v = Json.field(node, field);
        if (v == null) {
            return fallback;
        }
        if (!isInteger(v) || v.getLongValue() < min || v.getLongValue() > max) {
            throw invalid(path + " must be an integer between " + min + " and " + max, path);
        }
        return v.getLongValue();
    }

    private static void range(JsonNode value, String path, double min, double max) {
        if (!value.isNumber() || value.getDoubleValue() < min || value.getDoubleValue() > max) {
            throw invalid(path + " must be a number between " + fmt(min) + " and " + fmt(max), path);
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static boolean isInteger(JsonNode v) {
        return v.isNumber() && v.getDoubleValue() == Math.rint(v.getDoubleValue()) && !Double.isInfinite(v.getDoubleValue());
    }

    static ApiException invalid(String message, @Nullable String param) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "invalid route config: " + message,
                param, CODE, null, null);
    }
}
