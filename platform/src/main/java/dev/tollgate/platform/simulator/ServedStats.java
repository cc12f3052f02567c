package dev.tollgate.platform.simulator;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

/**
 * What a simulator delivered for one provider and model. Token fields follow
 * {@code platform.usage.TokenUsage}: {@code inputTokens} is the whole prompt including the
 * cache read and cache write tokens, {@code outputTokens} includes {@code reasoningTokens}.
 * Only what reached the client is counted: a dropped stream counts its input and the output
 * sent before the drop; error, timeout and malformed answers count no tokens.
 *
 * @param requests         authenticated requests received
 * @param streamedRequests requests answered as a stream
 * @param errors           requests that got an error status, a timeout, a drop or a malformed body
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record ServedStats(long requests,
                          long streamedRequests,
                          long errors,
                          long inputTokens,
                          long outputTokens,
                          long cacheReadTokens,
                          long cacheWriteTokens,
                          long reasoningTokens) {

    public static final ServedStats ZERO = new ServedStats(0, 0, 0, 0, 0, 0, 0, 0);

    public ServedStats plus(ServedStats other) {
        return new ServedStats(requests + other.requests, streamedRequests + other.streamedRequests,
            errors + other.errors, inputTokens + other.inputTokens, outputTokens + other.outputTokens,
            cacheReadTokens + other.cacheReadTokens, cacheWriteTokens + other.cacheWriteTokens,
            reasoningTokens + other.reasoningTokens);
    }
}
