package dev.tollgate.platform.usage.extract;

import dev.tollgate.platform.usage.TokenUsage;
import io.micronaut.core.annotation.Nullable;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Usage read from one response: the model the provider reports (may be null) and counts keyed
 * by the genai-prices usage names ({@code input_tokens}, {@code cache_read_tokens},
 * {@code cache_write_1h_tokens}, {@code output_reasoning_tokens}, {@code web_searches} …).
 * As in genai-prices, {@code input_tokens} is the whole prompt (cache reads and writes
 * included) and {@code output_tokens} includes reasoning tokens.
 */
public record ExtractedUsage(String provider, String apiFlavor, @Nullable String model, Map<String, Long> counts) {

    public static final String INPUT = "input_tokens";
    public static final String CACHE_READ = "cache_read_tokens";
    public static final String CACHE_WRITE = "cache_write_tokens";
    public static final String OUTPUT = "output_tokens";
    public static final String REASONING = "output_reasoning_tokens";

    public ExtractedUsage {
        counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }

    public long count(String key) {
        return counts.getOrDefault(key, 0L);
    }

    /** The provider-neutral five counts a usage event stores. */
    public TokenUsage toTokenUsage() {
        return new TokenUsage(count(INPUT), count(CACHE_READ), count(CACHE_WRITE), count(OUTPUT), count(REASONING));
    }

    /** The counts of a stored {@link TokenUsage}, in genai-prices usage names (zeros left out). */
    public static Map<String, Long> countsOf(TokenUsage usage) {
        Map<String, Long> m = new LinkedHashMap<>();
        put(m, INPUT, usage.inputTokens());
        put(m, CACHE_READ, usage.cachedInputTokens());
        put(m, CACHE_WRITE, usage.cacheWriteTokens());
        put(m, OUTPUT, usage.outputTokens());
        put(m, REASONING, usage.reasoningTokens());
        return m;
    }

    private static void put(Map<String, Long> m, String key, long value) {
        if (value != 0) {
            m.put(key, value);
        }
    }
}
