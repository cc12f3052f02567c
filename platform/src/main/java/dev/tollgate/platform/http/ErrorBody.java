package dev.tollgate.platform.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;

/**
 * The one error shape of every Tollgate HTTP API, OpenAI's:
 * {@code {"error":{"message","type","param","code"}}}, plus {@code fields} (field name to
 * message) where a request body failed validation.
 */
@Serdeable
public record ErrorBody(Detail error) {

    /** {@code param} and {@code code} are always present, null when they do not apply, as OpenAI sends them. */
    @Serdeable
    public record Detail(String message,
                         String type,
                         @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String param,
                         @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String code,
                         @Nullable Map<String, String> fields) {
    }

    public static ErrorBody of(String message, String type, @Nullable String param, @Nullable String code) {
        return new ErrorBody(new Detail(message, type, param, code, null));
    }

    public static ErrorBody withFields(String message, Map<String, String> fields) {
        return new ErrorBody(new Detail(message, "invalid_request_error", null, "invalid_fields", fields));
    }
}
