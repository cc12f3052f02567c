package dev.tollgate.gateway;

import dev.tollgate.gateway.model.ProviderException;
import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.http.ErrorBody;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.serde.annotation.Serdeable;


/**
 * Renders gateway errors. The OpenAI-compatible endpoints answer in OpenAI's shape
 * ({@link ErrorBody}); {@code /v1/messages} answers in Anthropic's
 * ({@code {"type":"error","error":{"type","message"}}}) so that the Anthropic SDKs raise their
 * typed errors. Both carry {@code Retry-After} where the error has one.
 */
public final class GatewayErrors {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GatewayErrors.class);

    private GatewayErrors() {
    }

    /** Which error shape to answer in. */
    public enum Shape { OPENAI, ANTHROPIC }

    /** Anthropic's error body. */
    @Serdeable
    public record AnthropicError(String type, Detail error) {
        @Serdeable
        public record Detail(String type, String message) {
        }
    }

    /** Any failure as an {@link ApiException}: upstream failures keep their status, the rest is a 500 without detail. */
    public static ApiException toApiException(Throwable e) {
        if (e instanceof ApiException api) {
            return api;
        }
        if (e instanceof ProviderException p) {
            String type = switch (p.kind()) {
                case RATE_LIMITED -> "rate_limit_error";
                case INVALID_REQUEST -> "invalid_request_error";
                case NOT_FOUND -> "not_found_error";
                default -> "upstream_error";
            };
            return new ApiException(HttpStatus.valueOf(p.kind().status()), type, p.getMessage(), null,
                    "upstream_" + p.kind().name().toLowerCase(java.util.Locale.ROOT), null, p.retryAfter());
        }
        LOG.error("unexpected gateway failure", e);
        return new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "api_error",
                "the gateway failed to handle this request", null, "internal_error", null, null);
    }

    public static MutableHttpResponse<?> render(Throwable error, Shape shape) {
        ApiException e = toApiException(error);
        MutableHttpResponse<Object> response = HttpResponse.status(e.status());
        if (e.retryAfter() != null) {
            response.header("Retry-After", String.valueOf(Math.max(1, (e.retryAfter().toMillis() + 999) / 1000)));
        }
        if (shape == Shape.ANTHROPIC) {
            return response.body(new AnthropicError("error", new AnthropicError.Detail(anthropicType(e), e.getMessage())));
        }
        return response.body(e.body());
    }

    /** The error shape for a request path. */
    public static Shape shapeFor(String path) {
        return path.startsWith("/v1/messages") ? Shape.ANTHROPIC : Shape.OPENAI;
    }

    private static String anthropicType(ApiException e) {
        return switch (e.status().getCode()) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            default -> "api_error";
        };
    }
}
