package dev.tollgate.billing.price;

import dev.tollgate.billing.rollup.Repricer;
import dev.tollgate.billing.testing.Fixtures;
import dev.tollgate.billing.testing.Http;
import dev.tollgate.platform.price.Quote;
import dev.tollgate.platform.testing.RealServices;
import dev.tollgate.platform.usage.TokenUsage;
import dev.tollgate.platform.usage.extract.UsageExtractors;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live billing (a usage event's stored counts, priced by the gateway's quote and by the
 * re-pricing worker) and the cost preview price 1-hour cache writes and audio tokens at their
 * own rates. Each recorded body is read by the shared extractor into the counts a usage event
 * stores; every expectation spells out its arithmetic from genai-prices-v2.json.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveUsagePricingTest implements RealServices {

    private static final Instant AT = Instant.parse("2026-03-10T10:00:00Z");

    @Inject
    UsageExtractors extractors;
    @Inject
    CatalogPriceBook priceBook;
    @Inject
    Repricer repricer;
    @Inject
    JsonMapper json;
    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    Fixtures f;
    UUID tenant;

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("tollgate.billing.worker-interval", "1h");
    }

    @BeforeAll
    void seed() {
        tenant = f.tenant("1.0", "UTC");
    }

    private TokenUsage stored(String provider, String flavor, String resource) throws IOException {
        JsonNode body = json.readValue(Http.resource("/responses/" + resource), JsonNode.class);
        return extractors.extract(provider, flavor, body).toTokenUsage();
    }

    /** The gateway's quote, and the worker's price of the same counts stored as an event: both must be {@code expected}. */
    private void assertLivePrice(String expected, String provider, String model, TokenUsage usage) {
        Quote quote = priceBook.quote(provider, model, usage, AT, tenant);
        assertTrue(quote.priced(), quote.priceRef());
        assertMoney(expected, quote.costUsd());

        String requestId = f.event(tenant, provider, model, AT, usage);
        repricer.reprice(AT.minusSeconds(1), AT.plusSeconds(1), false, 100);
        assertMoney(expected, new BigDecimal(f.text("select cost_usd from usage_event where request_id = ?", requestId)));
        assertEquals(String.valueOf(usage.cacheWrite1hTokens()),
                f.text("select cache_write_1h_tokens from usage_event where request_id = ?", requestId), "stored as given");
        assertEquals(String.valueOf(usage.outputAudioTokens()),
                f.text("select output_audio_tokens from usage_event where request_id = ?", requestId));
    }

    @SuppressWarnings("rawtypes")
    private Map preview(String provider, String model, String resource) {
        String body = "{\"provider_id\":\"" + provider + "\"" + (model == null ? "" : ",\"model\":\"" + model + "\"")
                + ",\"at\":\"" + AT + "\",\"response_body\":" + Http.resource("/responses/" + resource) + "}";
        HttpResponse<Map> r = Http.exchange(http.toBlocking(), Http.admin(HttpRequest.POST("/admin/v1/cost/preview", body)));
        assertEquals(HttpStatus.OK, r.getStatus());
        return r.body();
    }

    private static void assertMoney(String expected, Object actual) {
        BigDecimal value = actual instanceof BigDecimal b ? b : new BigDecimal((String) actual);
        assertEquals(0, new BigDecimal(expected).compareTo(value), "expected " + expected + ", got " + value);
    }

    private static long count(Map<?, ?> preview, String key) {
        return ((Number) ((Map<?, ?>) preview.get("usage")).get(key)).longValue();
    }

    @Test
    void anthropicOneHourCacheWritesArePricedAtTheOneHourRate() throws IOException {
        TokenUsage usage = stored("anthropic", null, "anthropic-haiku-4-5-cache-1h.json");
        assertEquals(3512, usage.inputTokens()); // 12 + 3000 written + 500 read
        assertEquals(3000, usage.cacheWriteTokens());
        assertEquals(2000, usage.cacheWrite1hTokens());
        assertEquals(1000, usage.cacheWrite5mTokens());
        // claude-haiku-4-5: $1 input, $1.25 5-min write, $2 1-h write, $0.10 read, $5 output per MTok
        // 12 × 1 + 1000 × 1.25 + 2000 × 2 + 500 × 0.1 = 5312 µ$ ; 250 × 5 = 1250 µ$
        assertLivePrice("0.006562", "anthropic", "claude-haiku-4-5-20251001", usage);
        // the five counts alone (all writes at the 5-minute rate) would have been 12 + 3750 + 50 + 1250 = 5062 µ$
        Quote fiveMinuteOnly = priceBook.quote("anthropic", "claude-haiku-4-5-20251001",
                new TokenUsage(3512, 500, 3000, 250, 0), AT, tenant);
        assertMoney("0.005062", fiveMinuteOnly.costUsd());

        Map<?, ?> p = preview("anthropic", null, "anthropic-haiku-4-5-cache-1h.json");
        assertMoney("0.005312", p.get("input_price"));
        assertMoney("0.006562", p.get("total_price"));
        assertEquals(1000, count(p, "cache_write_5m_tokens"));
        assertEquals(2000, count(p, "cache_write_1h_tokens"));
        assertEquals(0, count(p, "input_audio_tokens"));
    }

    @Test
    void openAiAudioTokensArePricedAtTheAudioRates() throws IOException {
        TokenUsage usage = stored("openai", "chat", "openai-gpt-audio.json");
        assertEquals(1000, usage.inputAudioTokens());
        assertEquals(500, usage.outputAudioTokens());
        // gpt-audio: $2.50 text in, $32 audio in, $10 text out, $64 audio out per MTok
        // input: 200 × 2.5 + 1000 × 32 = 32500 µ$ ; output: 100 × 10 + 500 × 64 = 33000 µ$
        assertLivePrice("0.0655", "openai", "gpt-audio-2025-08-28", usage);

        Map<?, ?> p = preview("openai", null, "openai-gpt-audio.json");
        assertMoney("0.0325", p.get("input_price"));
        assertMoney("0.033", p.get("output_price"));
        assertEquals(1000, count(p, "input_audio_tokens"));
        assertEquals(500, count(p, "output_audio_tokens"));

        // gpt-4o-audio-preview has no audio prices in the table: its audio tokens are text tokens there
        // 1200 × 2.5 + 600 × 10 = 9000 µ$
        assertLivePrice("0.009", "openai", "gpt-4o-audio-preview-2024-12-17", usage);
    }

    @Test
    void geminiAudioAndCachedAudioArePricedByModality() throws IOException {
        TokenUsage usage = stored("gemini", null, "gemini-2.5-flash-audio.json");
        assertEquals(5000, usage.inputTokens());
        assertEquals(2000, usage.cachedInputTokens());
        assertEquals(4000, usage.inputAudioTokens());
        assertEquals(1500, usage.cachedInputAudioTokens());
        assertEquals(500, usage.outputTokens()); // 300 candidates + 200 thoughts
        // gemini-2.5-flash: $0.30 text in, $0.03 cached text, $1 audio in, $0.10 cached audio, $2.50 out per MTok
        // text: 1000 of which 500 cached; audio: 4000 of which 1500 cached
        // input: 500 × 0.3 + 500 × 0.03 + 2500 × 1 + 1500 × 0.1 = 150 + 15 + 2500 + 150 = 2815 µ$ ; output: 500 × 2.5 = 1250 µ$
        assertLivePrice("0.004065", "gemini", "gemini-2.5-flash", usage);
        Quote asText = priceBook.quote("gemini", "gemini-2.5-flash", new TokenUsage(5000, 2000, 0, 500, 200), AT, tenant);
        assertNotEquals(0, new BigDecimal("0.004065").compareTo(asText.costUsd()), "audio is not priced as text");

        Map<?, ?> p = preview("google", null, "gemini-2.5-flash-audio.json");
        assertMoney("0.002815", p.get("input_price"));
        assertMoney("0.004065", p.get("total_price"));
        assertEquals(1500, count(p, "cache_audio_read_tokens"));
    }
}
