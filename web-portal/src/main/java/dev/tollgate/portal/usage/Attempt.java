package dev.tollgate.portal.usage;

import io.micronaut.core.annotation.Nullable;

/**
 * One call (or refused call) of a routing target while serving a request, as the gateway records
 * it in {@code usage_event.attempts}.
 *
 * @param target    {@code provider/model}
 * @param outcome   {@code ok}, {@code error}, {@code timeout} or {@code circuit_open}
 * @param status    the upstream's HTTP status, 0 when it sent none
 * @param latencyMs time the call took (until the first event for a stream)
 * @param error     the error kind ({@code rate_limited}, {@code upstream_error} …), null on success
 */
public record Attempt(String target, String outcome, int status, long latencyMs, @Nullable String error) {

    public boolean ok() {
        return "ok".equals(outcome);
    }
}
