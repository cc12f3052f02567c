package dev.tollgate.platform.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.bind.exceptions.UnsatisfiedArgumentException;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.server.exceptions.ConversionErrorHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.JacksonExceptionHandler;
import io.micronaut.http.server.exceptions.JsonExceptionHandler;
import io.micronaut.http.server.exceptions.UnsatisfiedArgumentHandler;
import io.micronaut.http.server.exceptions.UnsatisfiedRouteHandler;
import io.micronaut.web.router.exceptions.UnsatisfiedRouteException;
import io.micronaut.json.JsonSyntaxException;
import jakarta.inject.Singleton;

/**
 * The handlers for requests whose body or parameters cannot be read: each answers 400 in the
 * {@link ErrorBody} shape with a message that says what was wrong and, where known, the
 * parameter ({@code param}). Messages never echo the request body.
 */
public final class RequestBodyErrorHandlers {

    private RequestBodyErrorHandlers() {
    }

    static HttpResponse<ErrorBody> badRequest(String message, String param, String code) {
        return HttpResponse.<ErrorBody>badRequest()
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(ErrorBody.of(message, "invalid_request_error", param, code));
    }

    /** Jackson's own description of a syntax or mapping problem, without the location (which may quote the body). */
    static String describe(Throwable e) {
        Throwable t = e;
        while (t != null) {
            if (t instanceof JsonProcessingException jpe && jpe.getOriginalMessage() != null) {
                return firstLine(jpe.getOriginalMessage());
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return e.getMessage() == null ? "unreadable JSON" : firstLine(e.getMessage());
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        int at = line.indexOf(" at [Source");
        return (at < 0 ? line : line.substring(0, at)).trim();
    }

    /** A body that is not valid JSON at all. */
    @Singleton
    @Replaces(JsonExceptionHandler.class)
    public static class MalformedJson implements ExceptionHandler<JsonSyntaxException, HttpResponse<ErrorBody>> {
        @Override
        public HttpResponse<ErrorBody> handle(HttpRequest request, JsonSyntaxException exception) {
            return badRequest("Malformed JSON in the request body: " + describe(exception), null, "invalid_json");
        }
    }

    /** A Jackson parse or mapping failure that reached the server unwrapped. */
    @Singleton
    @Requires(classes = JsonProcessingException.class)
    @Replaces(JacksonExceptionHandler.class)
    public static class JacksonFailure implements ExceptionHandler<JsonProcessingException, HttpResponse<ErrorBody>> {
        @Override
        public HttpResponse<ErrorBody> handle(HttpRequest request, JsonProcessingException exception) {
            return badRequest("Malformed JSON in the request body: " + describe(exception), null, "invalid_json");
        }
    }

    /** A body, path or query value of the wrong type (a string where a number belongs, a bad UUID …). */
    @Singleton
    @Replaces(ConversionErrorHandler.class)
    public static class ConversionFailure implements ExceptionHandler<ConversionErrorException, HttpResponse<ErrorBody>> {
        @Override
        public HttpResponse<ErrorBody> handle(HttpRequest request, ConversionErrorException exception) {
            Argument<?> argument = exception.getArgument();
            String cause = exception.getConversionError().getCause() == null
                    ? exception.getMessage() : describe(exception.getConversionError().getCause());
            if (argument.getAnnotationMetadata().hasAnnotation(Body.class)) {
                return badRequest("The request body does not match the expected shape: " + cause, null, "invalid_body");
            }
            String name = ConstraintViolationHandler.snake(argument.getName());
            return badRequest("Invalid value for " + name + ": " + cause, name, "invalid_parameter");
        }
    }

    static HttpResponse<ErrorBody> missing(Argument<?> argument) {
        if (argument.getAnnotationMetadata().hasAnnotation(Body.class)) {
            return badRequest("A JSON request body is required", null, "missing_body");
        }
        String name = ConstraintViolationHandler.snake(argument.getName());
        return badRequest("Missing required parameter " + name, name, "missing_parameter");
    }

    /** A required body or parameter that is missing (seen while binding arguments). */
    @Singleton
    @Replaces(UnsatisfiedArgumentHandler.class)
    public static class MissingArgument implements ExceptionHandler<UnsatisfiedArgumentException, HttpResponse<ErrorBody>> {
        @Override
        public HttpResponse<ErrorBody> handle(HttpRequest request, UnsatisfiedArgumentException exception) {
            return missing(exception.getArgument());
        }
    }

    /** A required body, query value, header or path variable that is missing (seen by the router). */
    @Singleton
    @Replaces(UnsatisfiedRouteHandler.class)
    public static class MissingRouteArgument implements ExceptionHandler<UnsatisfiedRouteException, HttpResponse<ErrorBody>> {
        @Override
        public HttpResponse<ErrorBody> handle(HttpRequest request, UnsatisfiedRouteException exception) {
            return missing(exception.getArgument());
        }
    }
}
