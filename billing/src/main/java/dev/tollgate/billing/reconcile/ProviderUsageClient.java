package dev.tollgate.billing.reconcile;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what a provider says it served, per UTC day and model: OpenAI's
 * {@code GET {base}/organization/usage/completions} and Anthropic's
 * {@code GET {base}/organizations/usage_report/messages}, daily buckets grouped by model,
 * following {@code next_page}. Input tokens are the whole prompt (Anthropic: uncached + cache
 * reads + cache writes), as in our usage events.
 */
@Singleton
public class ProviderUsageClient {

    private static final int MAX_PAGES = 100;

    /** A provider's totals for one day and model; {@code requests} is null when the provider does not count them. */
    public record Usage(Long requests, long inputTokens, long outputTokens) {
    }

    /** Key of a provider total. */
    public record DayModel(LocalDate day, String model) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final JsonMapper json;

    public ProviderUsageClient(JsonMapper json) {
        this.json = json;
    }

    /** Totals of {@code [from, to)} (UTC days). Throws {@link IOException} when the API cannot be read. */
    public Map<DayModel, Usage> usage(ProviderUsageApi api, LocalDate from, LocalDate to) throws IOException {
        String base = api.baseUrl().endsWith("/") ? api.baseUrl().substring(0, api.baseUrl().length() - 1) : api.baseUrl();
        Instant start = from.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = to.atStartOfDay(ZoneOffset.UTC).toInstant();
        boolean openAi = api.effectiveType().equals("openai");
        String first = openAi
                ? base + "/organization/usage/completions?start_time=" + start.getEpochSecond() + "&end_time=" + end.getEpochSecond()
                        + "&bucket_width=1d&group_by=model&limit=31"
                : base + "/organizations/usage_report/messages?starting_at=" + enc(start.toString()) + "&ending_at=" + enc(end.toString())
                        + "&bucket_width=1d&group_by%5B%5D=model&limit=31";
        Map<DayModel, Usage> totals = new HashMap<>();
        String url = first;
        for (int page = 0; page < MAX_PAGES && url != null; page++) {
            Map<String, Object> body = get(api, url, openAi);
            for (Object b : list(body.get("data"))) {
                Map<String, Object> bucket = map(b);
                LocalDate day = openAi
                        ? Instant.ofEpochSecond(number(bucket.get("start_time"))).atZone(ZoneOffset.UTC).toLocalDate()
                        : Instant.parse((String) bucket.get("starting_at")).atZone(ZoneOffset.UTC).toLocalDate();
                for (Object r : list(bucket.get("results"))) {
                    Map<String, Object> result = map(r);
                    String model = result.get("model") == null ? "" : result.get("model").toString();
                    Usage u;
                    if (openAi) {
                        u = new Usage(number(result.get("num_model_requests")), number(result.get("input_tokens")),
                                number(result.get("output_tokens")));
                    } else {
                        Map<String, Object> creation = map(result.get("cache_creation"));
                        long input = number(result.get("uncached_input_tokens")) + number(result.get("cache_read_input_tokens"))
                                + number(creation.get("ephemeral_1h_input_tokens")) + number(creation.get("ephemeral_5m_input_tokens"));
                        u = new Usage(null, input, number(result.get("output_tokens")));
                    }
                    totals.merge(new DayModel(day, model), u, (a, c) -> new Usage(
                            a.requests() == null ? null : a.requests() + c.requests(),
                            a.inputTokens() + c.inputTokens(), a.outputTokens() + c.outputTokens()));
                }
            }
            Object next = body.get("next_page");
            url = Boolean.TRUE.equals(body.get("has_more")) && next != null ? first + "&page=" + enc(next.toString()) : null;
        }
        return totals;
    }

    private Map<String, Object> get(ProviderUsageApi api, String url, boolean openAi) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (openAi) {
            request.header("Authorization", "Bearer " + api.key());
        } else {
            request.header("x-api-key", api.key()).header("anthropic-version", "2023-06-01");
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (response.statusCode() != 200) {
            throw new IOException(api.name() + " usage API answered " + response.statusCode());
        }
        return map(json.readValue(response.body(), Map.class));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }
}
