package dev.tollgate.platform.http;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.time.Duration;

/** Answers an {@link ApiException} with its status and body, and {@code Retry-After} when it has one. */
@Singleton
public class ApiExceptionHandler implements ExceptionHandler<ApiException, HttpResponse<ErrorBody>> {

    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, ApiException exception) {
        var response = HttpResponse.<ErrorBody>status(exception.status())
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(exception.body());
        Duration retryAfter = exception.retryAfter();
        if (retryAfter != null) {
            // whole seconds, rounded up: a client retrying at the announced time must not be early
            long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        }
        return response;
    }
}
