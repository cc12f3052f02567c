package dev.tollgate.platform.usage;

import io.micronaut.serde.annotation.Serdeable;

/**
 * Token counts of one request, provider-neutral. {@code inputTokens} is the whole prompt,
 * including {@code cachedInputTokens} (read from the provider's prompt cache) and
 * {@code cacheWriteTokens} (written to it); {@code outputTokens} includes
 * {@code reasoningTokens}.
 */
@Serdeable
public record TokenUsage(long inputTokens,
                         long cachedInputTokens,
                         long cacheWriteTokens,
                         long outputTokens,
                         long reasoningTokens) {

    public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, 0, 0);

    public TokenUsage {
        if (inputTokens < 0 || cachedInputTokens < 0 || cacheWriteTokens < 0 || outputTokens < 0 || reasoningTokens < 0) {
            throw new IllegalArgumentException("token counts cannot be negative");
        }
    }

    public static TokenUsage of(long input, long output) {
        return new TokenUsage(input, 0, 0, output, 0);
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }
}
