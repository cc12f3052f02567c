package dev.tollgate.gateway.limit;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code tollgate.limits.*}.
 *
 * @param failMode         what to do when Redis is unreachable: {@code open} (default: a local
 *                         per-replica limiter enforces RPM, TPM and concurrency; logged and counted
 *                         in {@code tollgate.limits.fallback}) or {@code closed} (503)
 * @param redisTimeout     how long a limit check may wait for Redis before the fail mode applies (default 250 ms)
 * @param concurrencyLease how long a concurrency slot is held at most, should a replica die
 *                         without releasing it (default 15 min)
 */
@ConfigurationProperties("tollgate.limits")
public record LimitsConfiguration(@Bindable(defaultValue = "open") FailMode failMode,
                                  @Bindable(defaultValue = "250ms") Duration redisTimeout,
                                  @Bindable(defaultValue = "15m") Duration concurrencyLease) {

    /** Behaviour when Redis is unreachable. */
    public enum FailMode { OPEN, CLOSED }
}
