package dev.tollgate.platform.simulator;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

/**
 * An active fault as listed by {@code GET /faults}.
 *
 * @param remaining uses left of a counted fault; null for rate and unlimited faults
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record ActiveFault(String id,
                          @Nullable String provider,
                          @Nullable String model,
                          String mode,
                          @Nullable Integer status,
                          @Nullable Integer remaining,
                          @Nullable Double rate,
                          @Nullable Long latencyMs,
                          @Nullable Integer retryAfterSeconds) {
}
