package dev.tollgate.platform.simulator;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The delays a running simulator applies; changeable at run time ({@code POST /config}).
 *
 * @param latencyMs    fixed delay before the first byte
 * @param jitterMs     extra random delay in {@code [0, jitterMs]}
 * @param chunkDelayMs delay between two stream events
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record Timing(long latencyMs, long jitterMs, long chunkDelayMs) {

    public Timing {
        if (latencyMs < 0 || jitterMs < 0 || chunkDelayMs < 0) {
            throw new IllegalArgumentException("delays cannot be negative");
        }
    }

    long firstByteDelayMs() {
        return latencyMs + (jitterMs == 0 ? 0 : ThreadLocalRandom.current().nextLong(jitterMs + 1));
    }
}
