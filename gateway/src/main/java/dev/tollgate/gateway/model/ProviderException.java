package dev.tollgate.gateway.model;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/**
 * An upstream call that failed, classified so that every API format can answer it in its own
 * shape. The message is safe to show to the caller: it never holds a provider key.
 *
 * @see Kind
 */
public final class ProviderException extends RuntimeException {

    /** What went wrong, independent of the provider. */
    public enum Kind {
        /** The upstream rejected the request as invalid (4xx other than below). */
        INVALID_REQUEST(400),
        /** Tollgate's provider credential was refused: an operator problem, not the caller's. */
        AUTHENTICATION(502),
        /** The upstream says the model does not exist. */
        NOT_FOUND(404),
        /** The upstream is rate limiting us. */
        RATE_LIMITED(429),
        /** The upstream failed (5xx) or answered something unreadable. */
        UPSTREAM_ERROR(502),
        /** The upstream is overloaded or unreachable. */
        UNAVAILABLE(503),
        /** The upstream did not answer in time. */
        TIMEOUT(504);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        /** The HTTP status the gateway answers with. */
        public int status() {
            return status;
        }
    }

    private final Kind kind;
    private final String provider;
    private final int upstreamStatus;
    private final Duration retryAfter;

    public ProviderException(Kind kind, String provider, int upstreamStatus, String message,
                             @Nullable Duration retryAfter) {
        super(message, null, false, false);
        this.kind = kind;
        this.provider = provider;
        this.upstreamStatus = upstreamStatus;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    public String provider() {
        return provider;
    }

    /** The upstream's HTTP status, 0 when there was no answer. */
    public int upstreamStatus() {
        return upstreamStatus;
    }

    @Nullable
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Classifies an upstream HTTP status. */
    public static Kind kindOf(int status) {
        return switch (status) {
            case 401, 403 -> Kind.AUTHENTICATION;
            case 404 -> Kind.NOT_FOUND;
            case 408, 504 -> Kind.TIMEOUT;
            case 429 -> Kind.RATE_LIMITED;
            case 503, 529 -> Kind.UNAVAILABLE;
            default -> status >= 500 ? Kind.UPSTREAM_ERROR : Kind.INVALID_REQUEST;
        };
    }
}
