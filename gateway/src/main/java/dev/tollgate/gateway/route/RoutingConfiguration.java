package dev.tollgate.gateway.route;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Routing settings, {@code tollgate.routing.*}.
 *
 * @param retryBaseDelay        first retry's backoff ceiling; doubles with each retry (full jitter: the wait is
 *                              uniform between 0 and the ceiling), default 100 ms
 * @param retryMaxDelay         cap of the backoff ceiling and of an honoured {@code Retry-After}, default 2 s;
 *                              an upstream asking for a longer wait is not retried but fallen back from
 * @param breakerFailures       consecutive failures that open a target's circuit, default 5
 * @param breakerFailureRate    failure rate (0–1) over the last {@code breakerWindow} calls that opens it, default 0.5
 * @param breakerWindow         calls the failure rate is computed over (and needs at least), default 20
 * @param breakerCooldown       how long an open circuit refuses calls before a half-open probe, default 30 s
 * @param routeCacheTtl         how often a gateway replica re-reads a stored route it caches, default 60 s: only a
 *                              safety net, since changes reach every replica at once over Redis pub/sub
 */
@ConfigurationProperties("tollgate.routing")
public record RoutingConfiguration(@Bindable(defaultValue = "100ms") Duration retryBaseDelay,
                                   @Bindable(defaultValue = "2s") Duration retryMaxDelay,
                                   @Bindable(defaultValue = "5") int breakerFailures,
                                   @Bindable(defaultValue = "0.5") double breakerFailureRate,
                                   @Bindable(defaultValue = "20") int breakerWindow,
                                   @Bindable(defaultValue = "30s") Duration breakerCooldown,
                                   @Bindable(defaultValue = "60s") Duration routeCacheTtl) {
}
