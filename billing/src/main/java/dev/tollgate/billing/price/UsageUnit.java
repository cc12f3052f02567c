package dev.tollgate.billing.price;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A priced quantity of genai-prices: the usage key it counts ({@code cache_audio_read_tokens}),
 * the price key that prices it ({@code cache_audio_read_mtok}), how many units one price covers
 * ({@code per}: a million tokens, a thousand requests, 3,600 seconds), which side of the bill it
 * belongs to, and its dimensions. A unit whose dimensions include another's (same family) is a
 * subset of it: cached audio tokens are both input tokens and cache reads.
 */
public record UsageUnit(String usageKey, String priceKey, BigDecimal per, Side side, String family,
                        Map<String, String> dimensions) {

    /** Which of the preview's {@code input_price} / {@code output_price} a unit adds to. */
    public enum Side { INPUT, OUTPUT, OTHER }

    private static final String[] MODALITIES = {"text", "audio", "image", "video"};
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1_000);
    private static final BigDecimal HOUR = BigDecimal.valueOf(3_600);

    /** Every known unit, by price key. */
    public static final Map<String, UsageUnit> BY_PRICE_KEY;

    static {
        List<UsageUnit> units = new ArrayList<>();
        tokens(units, "input_tokens", "input_mtok", "input", null, null, null);
        tokens(units, "output_tokens", "output_mtok", "output", null, null, null);
        tokens(units, "cache_read_tokens", "cache_read_mtok", "input", null, "cache_read", null);
        tokens(units, "cache_write_tokens", "cache_write_mtok", "input", null, "cache_write", null);
        tokens(units, "cache_write_5m_tokens", "cache_write_5m_mtok", "input", null, "cache_write", "5m");
        tokens(units, "cache_write_1h_tokens", "cache_write_1h_mtok", "input", null, "cache_write", "1h");
        tokens(units, "input_tool_tokens", "input_tool_mtok", "input", null, "tool", null);
        tokens(units, "output_reasoning_tokens", "output_reasoning_mtok", "output", null, "reasoning", null);
        tokens(units, "output_citation_tokens", "output_citation_mtok", "output", null, "citation", null);
        for (String m : MODALITIES) {
            tokens(units, "input_" + m + "_tokens", "input_" + m + "_mtok", "input", m, null, null);
            tokens(units, "output_" + m + "_tokens", "output_" + m + "_mtok", "output", m, null, null);
            tokens(units, "cache_" + m + "_read_tokens", "cache_" + m + "_read_mtok", "input", m, "cache_read", null);
            tokens(units, "cache_" + m + "_write_tokens", "cache_" + m + "_write_mtok", "input", m, "cache_write", null);
            tokens(units, "cache_" + m + "_write_5m_tokens", "cache_" + m + "_write_5m_mtok", "input", m, "cache_write", "5m");
            tokens(units, "cache_" + m + "_write_1h_tokens", "cache_" + m + "_write_1h_mtok", "input", m, "cache_write", "1h");
            tokens(units, "input_" + m + "_tool_tokens", "input_" + m + "_tool_mtok", "input", m, "tool", null);
            tokens(units, "output_" + m + "_reasoning_tokens", "output_" + m + "_reasoning_mtok", "output", m, "reasoning", null);
            tokens(units, "output_" + m + "_citation_tokens", "output_" + m + "_citation_mtok", "output", m, "citation", null);
        }
        units.add(new UsageUnit("input_characters", "input_mchars", MILLION, Side.INPUT, "characters", Map.of()));
        units.add(new UsageUnit("input_text_messages", "input_text_messages_kcount", THOUSAND, Side.INPUT, "messages", Map.of()));
        units.add(new UsageUnit("audio_seconds", "audio_hours", HOUR, Side.OTHER, "durations", Map.of()));
        units.add(new UsageUnit("input_audio_seconds", "input_audio_hours", HOUR, Side.INPUT, "durations", Map.of("direction", "input")));
        units.add(new UsageUnit("output_audio_seconds", "output_audio_hours", HOUR, Side.OUTPUT, "durations", Map.of("direction", "output")));
        units.add(new UsageUnit("input_pixels", "input_gpixels", BigDecimal.valueOf(1_000_000_000), Side.INPUT, "pixels", Map.of()));
        units.add(new UsageUnit("input_document_pages", "input_document_kpages", THOUSAND, Side.INPUT, "pages", Map.of()));
        units.add(new UsageUnit("input_annotated_document_pages", "input_annotated_document_kpages", THOUSAND, Side.INPUT, "pages",
                Map.of("page_type", "annotated")));
        for (String tool : List.of("rerank_searches", "web_searches", "social_searches", "storage_searches", "code_executions")) {
            units.add(new UsageUnit(tool, tool + "_kcount", THOUSAND, Side.OTHER, tool, Map.of()));
        }
        units.add(new UsageUnit("requests", "requests_kcount", THOUSAND, Side.OTHER, "requests", Map.of()));
        Map<String, UsageUnit> byPrice = new LinkedHashMap<>();
        units.forEach(u -> byPrice.put(u.priceKey(), u));
        BY_PRICE_KEY = Collections.unmodifiableMap(byPrice);
    }

    private static void tokens(List<UsageUnit> units, String usageKey, String priceKey, String direction, String modality,
                               String tokenType, String ttl) {
        Map<String, String> dims = new LinkedHashMap<>();
        dims.put("direction", direction);
        if (modality != null) {
            dims.put("modality", modality);
        }
        if (tokenType != null) {
            dims.put("token_type", tokenType);
        }
        if (ttl != null) {
            dims.put("cache_ttl", ttl);
        }
        units.add(new UsageUnit(usageKey, priceKey, MILLION, direction.equals("input") ? Side.INPUT : Side.OUTPUT, "tokens",
                Collections.unmodifiableMap(dims)));
    }

    /** True when every {@code other} unit is also one of this (a strict subset of this unit's quantity). */
    public boolean isStrictAncestorOf(UsageUnit other) {
        return family.equals(other.family) && !equals(other)
                && other.dimensions.entrySet().containsAll(dimensions.entrySet())
                && other.dimensions.size() > dimensions.size();
    }
}
