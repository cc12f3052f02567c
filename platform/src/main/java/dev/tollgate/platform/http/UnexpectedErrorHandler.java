package dev.tollgate.platform.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.regex.Pattern;

/**
 * The last resort for any exception no more specific handler takes: 500 through
 * {@link ErrorBodyResponseProcessor}, which logs the exception in full under a reference id and
 * tells the client only that id. A client that hung up (connection reset, broken pipe) is logged
 * at debug, not as a server error.
 */
@Singleton
public class UnexpectedErrorHandler implements ExceptionHandler<Throwable, HttpResponse<?>> {

    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedErrorHandler.class);
    private static final Pattern CLIENT_GONE =
            Pattern.compile("^.*(?:connection (?:reset|closed|abort|broken)|broken pipe).*$", Pattern.CASE_INSENSITIVE);

    private final ErrorBodyResponseProcessor processor;

    public UnexpectedErrorHandler(ErrorBodyResponseProcessor processor) {
        this.processor = processor;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, Throwable exception) {
        MutableHttpResponse<?> response = HttpResponse.serverError();
        if (exception instanceof IOException && exception.getMessage() != null
                && CLIENT_GONE.matcher(exception.getMessage()).matches()) {
            LOG.debug("client went away during {} {}: {}", request.getMethodName(), request.getPath(), exception.getMessage());
            return response;
        }
        return processor.processResponse(ErrorContext.builder(request).cause(exception).build(), response);
    }
}
