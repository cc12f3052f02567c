package dev.tollgate.platform.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;

import java.time.Duration;
import java.util.Map;

/**
 * A request that cannot be served, with everything needed to answer it in the
 * {@link ErrorBody} shape. Thrown anywhere on a request path; rendered by the platform's
 * exception handler. Never carries secrets or prompt text in its message.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String type;
    private final String param;
    private final String code;
    private final Map<String, String> fields;
    private final Duration retryAfter;

    public ApiException(HttpStatus status, String type, String message, @Nullable String param, @Nullable String code,
                        @Nullable Map<String, String> fields, @Nullable Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.fields = fields;
        this.retryAfter = retryAfter;
    }

    public static ApiException badRequest(String message, @Nullable String param) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_error", message, param, null, null, null);
    }

    public static ApiException invalidFields(String message, Map<String, String> fields) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_error", message, null, "invalid_fields", fields, null);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(HttpStatus.UNAUTHORIZED, "authentication_error", message, null, "invalid_api_key", null, null);
    }

    public static ApiException forbidden(String message, @Nullable String code) {
        return new ApiException(HttpStatus.FORBIDDEN, "permission_error", message, null, code, null, null);
    }

    public static ApiException notFound(String message, @Nullable String code) {
        return new ApiException(HttpStatus.NOT_FOUND, "not_found_error", message, null, code, null, null);
    }

    public static ApiException conflict(String message, @Nullable String code) {
        return new ApiException(HttpStatus.CONFLICT, "conflict_error", message, null, code, null, null);
    }

    public static ApiException rateLimited(String message, String code, Duration retryAfter) {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate_limit_error", message, null, code, null, retryAfter);
    }

    public HttpStatus status() {
        return status;
    }

    public ErrorBody body() {
        return new ErrorBody(new ErrorBody.Detail(getMessage(), type, param, code, fields));
    }

    /** Seconds for a {@code Retry-After} header, or null. */
    @Nullable
    public Duration retryAfter() {
        return retryAfter;
    }
}
