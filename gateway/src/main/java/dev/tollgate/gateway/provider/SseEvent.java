package dev.tollgate.gateway.provider;

import io.micronaut.core.annotation.Nullable;

/** One server-sent event: its optional {@code event:} name and its (joined) {@code data:} lines. */
public record SseEvent(@Nullable String event, String data) {
}
