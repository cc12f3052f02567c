package dev.tollgate.platform.usage;

import io.micronaut.core.annotation.Creator;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Token counts of one request, provider-neutral. Parts are included in their wholes, as the
 * providers report them:
 * <ul>
 *   <li>{@code inputTokens} is the whole prompt, including {@code cachedInputTokens} (read from the
 *       provider's prompt cache), {@code cacheWriteTokens} (written to it) and {@code inputAudioTokens};</li>
 *   <li>{@code cacheWriteTokens} is every cache write; {@code cacheWrite1hTokens} are those kept for
 *       one hour (Anthropic's {@code ttl: "1h"}), the rest ({@link #cacheWrite5mTokens()}) for five minutes;</li>
 *   <li>{@code cachedInputAudioTokens} are audio tokens read from the cache (part of both
 *       {@code cachedInputTokens} and {@code inputAudioTokens});</li>
 *   <li>{@code outputTokens} includes {@code reasoningTokens} and {@code outputAudioTokens}.</li>
 * </ul>
 * A count missing from a stored form (a usage-journal line written before a count existed) reads as zero.
 */
@Serdeable
public record TokenUsage(long inputTokens,
                         long cachedInputTokens,
                         long cacheWriteTokens,
                         long outputTokens,
                         long reasoningTokens,
                         long cacheWrite1hTokens,
                         long inputAudioTokens,
                         long cachedInputAudioTokens,
                         long outputAudioTokens) {

    public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, 0, 0);

    @Creator
    public TokenUsage {
        if (inputTokens < 0 || cachedInputTokens < 0 || cacheWriteTokens < 0 || outputTokens < 0 || reasoningTokens < 0
                || cacheWrite1hTokens < 0 || inputAudioTokens < 0 || cachedInputAudioTokens < 0 || outputAudioTokens < 0) {
            throw new IllegalArgumentException("token counts cannot be negative");
        }
        if (cacheWrite1hTokens > cacheWriteTokens) {
            throw new IllegalArgumentException("1-hour cache writes cannot exceed all cache writes");
        }
    }

    /** Text-only usage with one cache-write duration (five minutes). */
    public TokenUsage(long inputTokens, long cachedInputTokens, long cacheWriteTokens, long outputTokens, long reasoningTokens) {
        this(inputTokens, cachedInputTokens, cacheWriteTokens, outputTokens, reasoningTokens, 0, 0, 0, 0);
    }

    public static TokenUsage of(long input, long output) {
        return new TokenUsage(input, 0, 0, output, 0);
    }

    /** Cache writes kept for five minutes: every cache write that is not a 1-hour one. */
    public long cacheWrite5mTokens() {
        return cacheWriteTokens - cacheWrite1hTokens;
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    /** These counts with {@code output} output tokens (a stream's final count arriving after its start). */
    public TokenUsage withOutputTokens(long output) {
        return new TokenUsage(inputTokens, cachedInputTokens, cacheWriteTokens, output, reasoningTokens, cacheWrite1hTokens,
                inputAudioTokens, cachedInputAudioTokens, outputAudioTokens);
    }
}
