package dev.tollgate.portal.usage;

import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * One request with everything the detail page shows: its usage event, its routing attempts in
 * order and, when its project opted in to request logging, the redacted conversation and answer
 * ({@code messages} empty and {@code response} null otherwise).
 */
public record RequestDetail(RequestRow request, List<Attempt> attempts, List<LoggedMessage> messages,
                            @Nullable String response) {
}
