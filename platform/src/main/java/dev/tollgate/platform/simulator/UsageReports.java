package dev.tollgate.platform.simulator;

import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The providers' organization usage APIs, answered from what the simulator actually delivered:
 * OpenAI's {@code GET /v1/organization/usage/{completions,embeddings}} and Anthropic's
 * {@code GET /v1/organizations/usage_report/messages}. Buckets are aligned to UTC
 * minutes, hours or days; only requests that delivered tokens count.
 */
final class UsageReports {

    private final Simulation sim;

    UsageReports(Simulation sim) {
        this.sim = sim;
    }

    void openAi(HttpCall call, String api, ProviderHandler errors) throws IOException {
        Long start = parseLong(call.query("start_time"));
        if (start == null) {
            errors.error(call, 400, "Missing or invalid query parameter: 'start_time' (Unix seconds).", "start_time");
            return;
        }
        Long end = call.query("end_time") == null ? Long.valueOf(sim.epochSeconds() + 1) : parseLong(call.query("end_time"));
        Window window = window(call.query("bucket_width"), call.query("limit"));
        if (end == null || window == null) {
            errors.error(call, 400, "Invalid query parameters: check end_time, bucket_width (1m, 1h, 1d) and limit.", null);
            return;
        }
        if (call.query("page") != null) {
            Long page = decodePage(call.query("page"));
            if (page == null) {
                errors.error(call, 400, "Invalid 'page' cursor.", "page");
                return;
            }
            start = page;
        }
        boolean byModel = groupBy(call).contains("model");
        List<String> models = values(call, "models");
        String object = "organization.usage." + (api.equals(Delivery.CHAT) ? "completions" : "embeddings") + ".result";
        List<Object> buckets = new ArrayList<>();
        long bucketStart = Math.floorDiv(start, window.seconds()) * window.seconds();
        while (bucketStart < end && buckets.size() < window.limit()) {
            long bucketEnd = bucketStart + window.seconds();
            List<Object> results = new ArrayList<>();
            grouped(sim.ledger.usage(OpenAiHandler.OPENAI, api, bucketStart, bucketEnd), byModel, models)
                .forEach((model, usage) -> {
                    Map<String, Object> result = Json.obj("object", object, "input_tokens", usage.inputTokens());
                    if (api.equals(Delivery.CHAT)) {
                        result.put("output_tokens", usage.outputTokens());
                        result.put("input_cached_tokens", usage.cacheReadTokens());
                        result.put("input_audio_tokens", 0);
                        result.put("output_audio_tokens", 0);
                    }
                    result.put("num_model_requests", usage.requests());
                    result.put("project_id", null);
                    result.put("user_id", null);
                    result.put("api_key_id", null);
                    result.put("model", byModel ? model : null);
                    if (api.equals(Delivery.CHAT)) {
                        result.put("batch", null);
                    }
                    results.add(result);
                });
            buckets.add(Json.obj("object", "bucket", "start_time", bucketStart, "end_time", bucketEnd,
                "results", results));
            bucketStart = bucketEnd;
        }
        boolean more = bucketStart < end;
        call.json(200, Json.obj("object", "page", "data", buckets, "has_more", more,
            "next_page", more ? encodePage(bucketStart) : null));
    }

    void anthropic(HttpCall call, ProviderHandler errors) throws IOException {
        Long start = parseInstant(call.query("starting_at"));
        if (start == null) {
            errors.error(call, 400, "starting_at: Field required (RFC 3339 timestamp)", null);
            return;
        }
        Long end = call.query("ending_at") == null ? Long.valueOf(sim.epochSeconds() + 1)
            : parseInstant(call.query("ending_at"));
        Window window = window(call.query("bucket_width"), call.query("limit"));
        if (end == null || window == null) {
            errors.error(call, 400, "Invalid query parameters: check ending_at, bucket_width (1m, 1h, 1d) and limit.", null);
            return;
        }
        if (call.query("page") != null) {
            Long page = parseInstant(call.query("page"));
            if (page == null) {
                errors.error(call, 400, "page: invalid cursor", null);
                return;
            }
            start = page;
        }
        boolean byModel = groupBy(call).contains("model");
        List<String> models = values(call, "models");
        List<Object> buckets = new ArrayList<>();
        long bucketStart = Math.floorDiv(start, window.seconds()) * window.seconds();
        while (bucketStart < end && buckets.size() < window.limit()) {
            long bucketEnd = bucketStart + window.seconds();
            List<Object> results = new ArrayList<>();
            grouped(sim.ledger.usage(AnthropicHandler.ANTHROPIC, Delivery.CHAT, bucketStart, bucketEnd), byModel, models)
                .forEach((model, usage) -> results.add(Json.obj(
                    "uncached_input_tokens", usage.uncachedInputTokens(),
                    "cache_creation", Json.obj("ephemeral_1h_input_tokens", usage.cacheWrite1hTokens(),
                        "ephemeral_5m_input_tokens", usage.cacheWrite5mTokens()),
                    "cache_read_input_tokens", usage.cacheReadTokens(),
                    "output_tokens", usage.outputTokens(),
                    "server_tool_use", Json.obj("web_search_requests", 0),
                    "api_key_id", null, "workspace_id", null,
                    "model", byModel ? model : null,
                    "service_tier", null, "context_window", null)));
            buckets.add(Json.obj("starting_at", Instant.ofEpochSecond(bucketStart).toString(),
                "ending_at", Instant.ofEpochSecond(bucketEnd).toString(), "results", results));
            bucketStart = bucketEnd;
        }
        boolean more = bucketStart < end;
        call.json(200, Json.obj("data", buckets, "has_more", more,
            "next_page", more ? Instant.ofEpochSecond(bucketStart).toString() : null));
    }

    private static Map<String, ServedLedger.UsageTotals> grouped(Map<String, ServedLedger.UsageTotals> byModel,
                                                                 boolean groupByModel, List<String> models) {
        Map<String, ServedLedger.UsageTotals> out = new TreeMap<>();
        byModel.forEach((model, usage) -> {
            if (models.isEmpty() || models.contains(model)) {
                out.merge(groupByModel ? model : "", usage, ServedLedger.UsageTotals::plus);
            }
        });
        return out;
    }

    private static List<String> groupBy(HttpCall call) {
        return values(call, "group_by");
    }

    /** A list parameter, accepting {@code name=a&name=b}, {@code name[]=a} and {@code name=a,b}. */
    private static List<String> values(HttpCall call, String name) {
        List<String> values = new ArrayList<>();
        for (String raw : call.queries(name)) {
            values.addAll(List.of(raw.split(",")));
        }
        for (String raw : call.queries(name + "[]")) {
            values.addAll(List.of(raw.split(",")));
        }
        values.removeIf(String::isBlank);
        return values;
    }

    @Nullable
    private static Window window(@Nullable String width, @Nullable String limit) {
        Window window = switch (width == null ? "1d" : width) {
            case "1m" -> new Window(60, 60, 1440);
            case "1h" -> new Window(3600, 24, 168);
            case "1d" -> new Window(86_400, 7, 31);
            default -> null;
        };
        if (window == null || limit == null) {
            return window;
        }
        Long requested = parseLong(limit);
        if (requested == null || requested < 1 || requested > window.max()) {
            return null;
        }
        return new Window(window.seconds(), requested.intValue(), window.max());
    }

    private record Window(long seconds, int limit, int max) {
    }

    @Nullable
    private static Long parseLong(@Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Nullable
    private static Long parseInstant(@Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value.trim()).getEpochSecond();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String encodePage(long start) {
        return "page_" + Base64.getUrlEncoder().withoutPadding().encodeToString(
            Long.toString(start).getBytes(StandardCharsets.UTF_8));
    }

    @Nullable
    private static Long decodePage(String page) {
        if (!page.startsWith("page_")) {
            return null;
        }
        try {
            return parseLong(new String(Base64.getUrlDecoder().decode(page.substring(5)), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
