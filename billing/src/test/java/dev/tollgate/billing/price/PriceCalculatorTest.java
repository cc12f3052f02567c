package dev.tollgate.billing.price;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PriceCalculatorTest {

    private static final JsonMapper JSON = JsonMapper.createDefault();

    private static ModelPrice price(String json) throws Exception {
        return ModelPrice.parse(JSON.readValue(json, JsonNode.class));
    }

    private static void assertAmount(String expected, BigDecimal actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual), () -> "expected " + expected + " but was " + actual.toPlainString());
    }

    @Test
    void tierAppliesToAllTokensOnlyAboveItsStart() throws Exception {
        ModelPrice p = price("{\"input_mtok\":{\"base\":1.25,\"tiers\":[{\"start\":200000,\"price\":2.5}]},"
                + "\"output_mtok\":{\"base\":10,\"tiers\":[{\"start\":200000,\"price\":15}]}}");
        var atLimit = PriceCalculator.calculate(p, Map.of("input_tokens", 200_000L, "output_tokens", 1_000L));
        assertAmount("0.25", atLimit.inputPrice());
        assertAmount("0.01", atLimit.outputPrice());
        var above = PriceCalculator.calculate(p, Map.of("input_tokens", 200_001L, "output_tokens", 1_000L));
        assertAmount("0.5000025", above.inputPrice());
        assertAmount("0.015", above.outputPrice());
    }

    @Test
    void everyTokenIsChargedOnceAtItsMostSpecificPrice() throws Exception {
        ModelPrice p = price("{\"input_mtok\":0.3,\"cache_read_mtok\":0.03,\"output_mtok\":2.5,"
                + "\"input_audio_mtok\":1,\"cache_audio_read_mtok\":0.1}");
        var b = PriceCalculator.calculate(p, Map.of("input_tokens", 10_000L, "cache_read_tokens", 4_000L,
                "input_audio_tokens", 3_000L, "cache_audio_read_tokens", 1_000L, "output_tokens", 500L));
        // text uncached 10000-4000-3000+1000 = 4000, text cached 3000, audio uncached 2000, audio cached 1000
        assertEquals(4_000L, b.chargedUnits().get("input_mtok"));
        assertEquals(3_000L, b.chargedUnits().get("cache_read_mtok"));
        assertEquals(2_000L, b.chargedUnits().get("input_audio_mtok"));
        assertEquals(1_000L, b.chargedUnits().get("cache_audio_read_mtok"));
        assertAmount("0.00339", b.inputPrice()); // 1200 + 90 + 2000 + 100 micro-dollars
        assertAmount("0.00125", b.outputPrice());
    }

    @Test
    void oneHourCacheWritesArePricedApartFromFiveMinuteOnes() throws Exception {
        ModelPrice p = price("{\"input_mtok\":3,\"cache_write_mtok\":3.75,\"cache_read_mtok\":0.3,\"output_mtok\":15,\"cache_write_1h_mtok\":6}");
        var b = PriceCalculator.calculate(p, Map.of("input_tokens", 3_100L, "cache_write_tokens", 3_000L,
                "cache_write_5m_tokens", 1_000L, "cache_write_1h_tokens", 2_000L, "output_tokens", 10L));
        assertEquals(100L, b.chargedUnits().get("input_mtok"));
        assertEquals(1_000L, b.chargedUnits().get("cache_write_mtok"));
        assertEquals(2_000L, b.chargedUnits().get("cache_write_1h_mtok"));
        assertAmount("0.01605", b.inputPrice());
    }

    @Test
    void reasoningFallsIntoOutputUnlessPricedItself() throws Exception {
        Map<String, Long> usage = Map.of("input_tokens", 1_000L, "output_tokens", 3_000L, "output_reasoning_tokens", 2_000L);
        assertAmount("0.024", PriceCalculator.calculate(price("{\"input_mtok\":2,\"output_mtok\":8}"), usage).outputPrice());
        var separate = PriceCalculator.calculate(price("{\"input_mtok\":2,\"output_mtok\":8,\"output_reasoning_mtok\":3}"), usage);
        assertAmount("0.014", separate.outputPrice());
    }

    @Test
    void perRequestAndPerSearchPricesAreNeitherInputNorOutput() throws Exception {
        var b = PriceCalculator.calculate(price("{\"input_mtok\":1,\"output_mtok\":1,\"requests_kcount\":12,\"web_searches_kcount\":5}"),
                Map.of("input_tokens", 100L, "output_tokens", 100L, "web_searches", 2L));
        assertAmount("0.0001", b.inputPrice());
        assertAmount("0.0001", b.outputPrice());
        assertAmount("0.022", b.otherPrice());
        assertAmount("0.0222", b.total());
    }

    @Test
    void contradictoryUsageIsRefusedRatherThanPricedNegative() throws Exception {
        ModelPrice p = price("{\"input_mtok\":2.5,\"cache_read_mtok\":1.25}");
        assertThrows(PriceCalculator.InconsistentUsageException.class,
                () -> PriceCalculator.calculate(p, Map.of("input_tokens", 10L, "cache_read_tokens", 20L)));
    }

    @Test
    void unknownPriceKeysAndNegativePricesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> price("{\"input_mtokens\":1}"));
        assertThrows(IllegalArgumentException.class, () -> price("{\"input_mtok\":-1}"));
        assertThrows(IllegalArgumentException.class, () -> price("{\"input_mtok\":\"1\"}"));
    }

    @Test
    void lastActivePeriodWinsAndDailyWindowsWrapMidnight() throws Exception {
        PricePeriod always = new PricePeriod(1, null, null, null, price("{\"input_mtok\":1}"));
        PricePeriod peak = new PricePeriod(2, null, LocalTime.of(22, 0), LocalTime.of(6, 0), price("{\"input_mtok\":2}"));
        PricePeriod later = new PricePeriod(3, LocalDate.parse("2026-01-01"), null, null, price("{\"input_mtok\":3}"));
        CatalogModel m = new CatalogModel("x", "m", null, new dev.tollgate.platform.usage.extract.MatchRule.Equals("m"),
                List.of(always, peak, later));
        assertEquals(1, m.periodAt(Instant.parse("2025-06-01T12:00:00Z")).rowId());
        assertEquals(2, m.periodAt(Instant.parse("2025-06-01T23:00:00Z")).rowId());
        assertEquals(2, m.periodAt(Instant.parse("2025-06-01T05:59:59Z")).rowId());
        assertEquals(3, m.periodAt(Instant.parse("2026-01-01T00:00:00Z")).rowId());
    }
}
