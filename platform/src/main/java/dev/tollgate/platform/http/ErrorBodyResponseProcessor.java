package dev.tollgate.platform.http;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * Renders every error response the framework builds (route misses, wrong methods, media types,
 * oversized bodies, security rejections, the built-in exception handlers and the last-resort
 * 500) as an {@link ErrorBody}. A server error with a cause is logged here, in full, under a
 * fresh reference id; the client gets only a generic message with that id (also in the
 * {@value #ERROR_ID_HEADER} header), never the exception's text or stack.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ErrorBodyResponseProcessor implements ErrorResponseProcessor<ErrorBody> {

    /** Response header carrying the reference id of a logged server error. */
    public static final String ERROR_ID_HEADER = "X-Tollgate-Error-Id";

    private static final Logger LOG = LoggerFactory.getLogger(ErrorBodyResponseProcessor.class);

    @Override
    @NonNull
    public MutableHttpResponse<ErrorBody> processResponse(@NonNull ErrorContext context, @NonNull MutableHttpResponse<?> response) {
        HttpStatus status = response.status();
        ErrorBody body;
        if (status.getCode() >= 500) {
            String reference = "err_" + UUID.randomUUID().toString().replace("-", "");
            HttpRequest<?> request = context.getRequest();
            context.getRootCause().ifPresentOrElse(
                    cause -> LOG.error("{} {} failed, reference {}", request.getMethodName(), request.getPath(), reference, cause),
                    () -> LOG.error("{} {} answered {}, reference {}", request.getMethodName(), request.getPath(), status.getCode(), reference));
            response.header(ERROR_ID_HEADER, reference);
            body = ErrorBody.of("The server could not complete this request (reference " + reference
                    + "). Try again; if it keeps failing, contact support with the reference.", "api_error", null, "internal_error");
        } else {
            Error first = context.getErrors().isEmpty() ? null : context.getErrors().get(0);
            String param = first == null ? null : first.getPath().map(ErrorBodyResponseProcessor::param).orElse(null);
            body = ErrorBody.of(message(status, context, first, response), type(status), param, code(status));
        }
        return response.contentType(MediaType.APPLICATION_JSON_TYPE).body(body);
    }

    private static String message(HttpStatus status, ErrorContext context, Error first, MutableHttpResponse<?> response) {
        HttpRequest<?> request = context.getRequest();
        return switch (status) {
            case NOT_FOUND -> "No such endpoint or resource: " + request.getMethodName() + " " + request.getPath();
            case METHOD_NOT_ALLOWED -> "Method " + request.getMethodName() + " is not allowed on " + request.getPath()
                    + response.getHeaders().findFirst(HttpHeaders.ALLOW).map(allow -> "; allowed: " + allow).orElse("");
            case UNAUTHORIZED -> "Authentication required: send Authorization: Bearer <access token>";
            case FORBIDDEN -> "You are not allowed to do this";
            default -> first != null && first.getMessage() != null && !first.getMessage().isBlank()
                    ? first.getMessage() : status.getReason();
        };
    }

    static String type(HttpStatus status) {
        return switch (status) {
            case UNAUTHORIZED -> "authentication_error";
            case FORBIDDEN -> "permission_error";
            case NOT_FOUND -> "not_found_error";
            case CONFLICT -> "conflict_error";
            case TOO_MANY_REQUESTS -> "rate_limit_error";
            default -> status.getCode() >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    static String code(HttpStatus status) {
        return switch (status) {
            case NOT_FOUND -> "not_found";
            case METHOD_NOT_ALLOWED -> "method_not_allowed";
            case NOT_ACCEPTABLE -> "not_acceptable";
            case UNSUPPORTED_MEDIA_TYPE -> "unsupported_media_type";
            case REQUEST_ENTITY_TOO_LARGE -> "request_too_large";
            case UNAUTHORIZED -> "unauthenticated";
            case FORBIDDEN -> "forbidden";
            case TOO_MANY_REQUESTS -> "rate_limited";
            default -> status.getCode() >= 500 ? "internal_error" : "invalid_request";
        };
    }

    private static String param(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.isBlank() ? null : p.replace('/', '.');
    }
}
