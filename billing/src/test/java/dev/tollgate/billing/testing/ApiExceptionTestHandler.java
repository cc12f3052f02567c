package dev.tollgate.billing.testing;

import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.http.ErrorBody;
import io.micronaut.context.annotation.Secondary;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * Renders {@link ApiException} for this module's tests until the platform's global handler is
 * merged; {@code @Secondary} so that the real handler wins once it is on the classpath.
 */
@Singleton
@Secondary
@Produces
public class ApiExceptionTestHandler implements ExceptionHandler<ApiException, HttpResponse<ErrorBody>> {

    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, ApiException exception) {
        return HttpResponse.<ErrorBody>status(exception.status()).body(exception.body());
    }
}
