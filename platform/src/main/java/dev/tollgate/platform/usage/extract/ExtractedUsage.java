package dev.tollgate.platform.usage.extract;

import dev.tollgate.platform.usage.TokenUsage;
import io.micronaut.core.annotation.Nullable;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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
    public static final String CACHE_WRITE_5M = "cache_write_5m_tokens";
    public static final String CACHE_WRITE_1H = "cache_write_1h_tokens";
    public static final String INPUT_AUDIO = "input_audio_tokens";
    public static final String CACHE_AUDIO_READ = "cache_audio_read_tokens";
    public static final String OUTPUT_AUDIO = "output_audio_tokens";

    /** The counts a {@link TokenUsage} holds, always present in the cost preview's {@code usage}. */
    public static final List<String> TOKEN_USAGE_KEYS = List.of(INPUT, CACHE_READ, CACHE_WRITE, CACHE_WRITE_5M, CACHE_WRITE_1H,
            OUTPUT, REASONING, INPUT_AUDIO, CACHE_AUDIO_READ, OUTPUT_AUDIO);

    public ExtractedUsage {
        counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }

    public long count(String key) {
        return counts.getOrDefault(key, 0L);
    }

    /**
     * The provider-neutral counts a usage event stores. All cache writes are at least the 5-minute
     * and 1-hour ones together (Anthropic reports both the total and the split; a provider that
     * reports only the split still has a total).
     */
    public TokenUsage toTokenUsage() {
        long cacheWrite = Math.max(count(CACHE_WRITE), count(CACHE_WRITE_5M) + count(CACHE_WRITE_1H));
        return new TokenUsage(count(INPUT), count(CACHE_READ), cacheWrite, count(OUTPUT), count(REASONING),
                count(CACHE_WRITE_1H), count(INPUT_AUDIO), count(CACHE_AUDIO_READ), count(OUTPUT_AUDIO));
    }

    /** The counts of a stored {@link TokenUsage}, in genai-prices usage names (zeros left out). */
    public static Map<String, Long> countsOf(TokenUsage usage) {
        Map<String, Long> m = new LinkedHashMap<>();
        put(m, INPUT, usage.inputTokens());
        put(m, CACHE_READ, usage.cachedInputTokens());
        put(m, CACHE_WRITE, usage.cacheWriteTokens());
        put(m, CACHE_WRITE_5M, usage.cacheWriteTokens() == 0 ? 0 : usage.cacheWrite5mTokens());
        put(m, CACHE_WRITE_1H, usage.cacheWrite1hTokens());
        put(m, OUTPUT, usage.outputTokens());
        put(m, REASONING, usage.reasoningTokens());
        put(m, INPUT_AUDIO, usage.inputAudioTokens());
        put(m, CACHE_AUDIO_READ, usage.cachedInputAudioTokens());
        put(m, OUTPUT_AUDIO, usage.outputAudioTokens());
        return m;
    }

    private static void put(Map<String, Long> m, String key, long value) {
        if (value != 0) {
            m.put(key, value);
        }
    }
}
