package dev.tollgate.portal.usage;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A position in the request log, newest first: the requests strictly older than
 * ({@code occurredAt}, {@code requestId}). Pages are read by position rather than by offset, so
 * requests arriving meanwhile never shift a page. The token is {@code <ISO instant>~<request id>}.
 */
public record RequestCursor(Instant occurredAt, String requestId) {

    private static final char SEPARATOR = '~';

    static RequestCursor after(RequestRow row) {
        return new RequestCursor(row.occurredAt(), row.requestId());
    }

    public String token() {
        return occurredAt + String.valueOf(SEPARATOR) + requestId;
    }

    /** The cursor of a token; null when there is none or it cannot be read (the newest page). */
    @Nullable
    static RequestCursor parse(@Nullable String token) {
        if (token == null) {
            return null;
        }
        int at = token.indexOf(SEPARATOR);
        if (at <= 0 || at == token.length() - 1) {
            return null;
        }
        try {
            return new RequestCursor(Instant.parse(token.substring(0, at)), token.substring(at + 1));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
