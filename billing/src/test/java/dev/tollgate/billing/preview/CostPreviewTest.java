package dev.tollgate.billing.preview;

import dev.tollgate.billing.testing.Http;
import dev.tollgate.platform.testing.RealServices;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recorded provider responses priced by the preview, checked against the table's prices by hand
 * (each expectation spells out its arithmetic).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CostPreviewTest implements RealServices {

    @Inject
    @Client("/")
    HttpClient http;

    @SuppressWarnings("rawtypes")
    private HttpResponse<Map> preview(String provider, String flavor, String model, String bodyResource, String at) {
        String json = "{\"provider_id\":\"" + provider + "\""
                + (flavor == null ? "" : ",\"api_flavor\":\"" + flavor + "\"")
                + (model == null ? "" : ",\"model\":\"" + model + "\"")
                + (at == null ? "" : ",\"at\":\"" + at + "\"")
                + ",\"response_body\":" + Http.resource("/responses/" + bodyResource) + "}";
        return Http.exchange(http.toBlocking(), Http.admin(HttpRequest.POST("/admin/v1/cost/preview", json)));
    }

    private static void assertPrice(String expected, Object actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(new BigDecimal((String) actual)), "expected " + expected + ", got " + actual);
    }

    @Test
    @SuppressWarnings({"rawtypes", "unchecked"})
    void openAiCachedPromptIsPricedAtTheCacheReadPrice() {
        HttpResponse<Map> r = preview("openai", "chat", null, "openai-gpt-4o-cached.json", null);
        assertEquals(HttpStatus.OK, r.getStatus());
        Map body = r.body();
        Map usage = (Map) body.get("usage");
        assertEquals(1117, ((Number) usage.get("input_tokens")).intValue());
        assertEquals(1024, ((Number) usage.get("cache_read_tokens")).intValue());
        assertEquals(46, ((Number) usage.get("output_tokens")).intValue());
        // gpt-4o: $2.50 input, $1.25 cached, $10 output per MTok
        // input: 93 × 2.5 + 1024 × 1.25 = 232.5 + 1280 = 1512.5 µ$ ; output: 46 × 10 = 460 µ$
        assertPrice("0.0015125", body.get("input_price"));
        assertPrice("0.00046", body.get("output_price"));
        assertPrice("0.0019725", body.get("total_price"));
        assertEquals("gpt-4o-2024-08-06", body.get("model"));
        assertTrue(((String) body.get("price_source")).endsWith(":openai/gpt-4o"), (String) body.get("price_source"));
        assertTrue(((String) body.get("price_source")).startsWith("genai-prices@47df840"));
    }

    @Test
    @SuppressWarnings("rawtypes")
    void openAiReasoningTokensAreOutputAndTheDatedPriceApplies() {
        // o3 from 2025-06-10: $2 input, $0.50 cached, $8 output; reasoning tokens are part of the 3000 output tokens
        HttpResponse<Map> after = preview("openai", null, null, "openai-o3-reasoning.json", "2025-07-01T12:00:00Z");
        assertEquals(HttpStatus.OK, after.getStatus());
        // input: 464 × 2 + 1536 × 0.5 = 928 + 768 = 1696 µ$ ; output: 3000 × 8 = 24000 µ$
        assertPrice("0.001696", after.body().get("input_price"));
        assertPrice("0.024", after.body().get("output_price"));
        assertPrice("0.025696", after.body().get("total_price"));
        assertEquals(2500, ((Number) ((Map) after.body().get("usage")).get("output_reasoning_tokens")).intValue());
        assertTrue(((String) after.body().get("price_source")).endsWith("openai/o3@2025-06-10"));
        assertEquals("chat", after.body().get("api_flavor"));

        // before 2025-06-10: $10 input, $0.50 cached, $40 output
        HttpResponse<Map> before = preview("openai", "chat", null, "openai-o3-reasoning.json", "2025-05-01T12:00:00Z");
        // input: 464 × 10 + 768 = 5408 µ$ ; output: 3000 × 40 = 120000 µ$
        assertPrice("0.125408", before.body().get("total_price"));
    }

    @Test
    @SuppressWarnings("rawtypes")
    void anthropicCacheReadsAndFiveMinuteAndOneHourWritesArePricedApart() {
        HttpResponse<Map> r = preview("anthropic", null, null, "anthropic-sonnet-4-5-cache.json", null);
        assertEquals(HttpStatus.OK, r.getStatus());
        Map usage = (Map) r.body().get("usage");
        assertEquals(12312, ((Number) usage.get("input_tokens")).intValue()); // 21 + 2051 + 10240
        assertEquals(2051, ((Number) usage.get("cache_write_tokens")).intValue());
        assertEquals(10240, ((Number) usage.get("cache_read_tokens")).intValue());
        // claude-sonnet-4-5 (< 200k): $3 input, $3.75 5-min write, $6 1-h write, $0.30 read, $15 output
        // input: 21 × 3 + 1051 × 3.75 + 1000 × 6 + 10240 × 0.3 = 63 + 3941.25 + 6000 + 3072 = 13076.25 µ$
        assertPrice("0.01307625", r.body().get("input_price"));
        assertPrice("0.005895", r.body().get("output_price")); // 393 × 15
        assertPrice("0.01897125", r.body().get("total_price"));
        assertTrue(((String) r.body().get("price_source")).endsWith("anthropic/claude-sonnet-4-5"));
    }

    @Test
    @SuppressWarnings("rawtypes")
    void anthropicCacheWriteWithoutBreakdownUsesTheFiveMinutePrice() {
        HttpResponse<Map> r = preview("anthropic", "default", null, "anthropic-haiku-cache-write.json", null);
        // claude 3.5 haiku: $0.80 input, $1 cache write, $4 output: 50 × 0.8 + 1000 × 1 = 1040 µ$ ; 100 × 4 = 400 µ$
        assertPrice("0.00104", r.body().get("input_price"));
        assertPrice("0.00144", r.body().get("total_price"));
    }

    @Test
    @SuppressWarnings("rawtypes")
    void geminiAbove200kTokensPaysTheHigherTierOnEveryToken() {
        HttpResponse<Map> r = preview("gemini", null, null, "gemini-2.5-pro-long-context.json", null);
        assertEquals(HttpStatus.OK, r.getStatus());
        // 250k prompt > 200k: $2.50 input, $0.25 cached, $15 output (thinking tokens are output)
        // input: 150000 × 2.5 + 100000 × 0.25 = 375000 + 25000 µ$ ; output: (1200 + 1800) × 15 = 45000 µ$
        assertPrice("0.4", r.body().get("input_price"));
        assertPrice("0.045", r.body().get("output_price"));
        assertPrice("0.445", r.body().get("total_price"));
        assertEquals("google", r.body().get("provider"));

        HttpResponse<Map> atTier = preview("google", "default", null, "gemini-2.5-pro-short.json", null);
        // exactly 200k is still the base tier: 200000 × 1.25 + 1000 × 10 = 250000 + 10000 µ$
        assertPrice("0.26", atTier.body().get("total_price"));
    }

    @Test
    @SuppressWarnings("rawtypes")
    void badRequestsGetClearErrors() {
        HttpResponse<Map> unknownProvider = preview("nosuchprovider", null, "x", "openai-gpt-4o-cached.json", null);
        assertEquals(HttpStatus.BAD_REQUEST, unknownProvider.getStatus());
        assertTrue(((String) Http.error(unknownProvider).get("message")).contains("nosuchprovider"));

        HttpResponse<Map> wrongShape = preview("anthropic", "default", null, "gemini-2.5-pro-short.json", null);
        assertEquals(HttpStatus.BAD_REQUEST, wrongShape.getStatus());
        assertTrue(((String) Http.error(wrongShape).get("message")).contains("usage"));

        HttpResponse<Map> unknownFlavor = preview("openai", "nosuchflavor", null, "openai-gpt-4o-cached.json", null);
        assertEquals(HttpStatus.BAD_REQUEST, unknownFlavor.getStatus());

        HttpResponse<Map> unpriced = preview("openai", "chat", "gpt-99-turbo", "openai-gpt-4o-cached.json", null);
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, unpriced.getStatus());
        assertEquals("unpriced_model", Http.error(unpriced).get("code"));

        HttpResponse<Map> noBody = Http.exchange(http.toBlocking(),
                Http.admin(HttpRequest.POST("/admin/v1/cost/preview", "{\"provider_id\":\"openai\"}")));
        assertEquals(HttpStatus.BAD_REQUEST, noBody.getStatus());
        assertEquals("invalid_fields", Http.error(noBody).get("code"));

        HttpResponse<Map> noToken = Http.exchange(http.toBlocking(), HttpRequest.POST("/admin/v1/cost/preview", "{}"));
        assertEquals(HttpStatus.UNAUTHORIZED, noToken.getStatus());
    }
}
