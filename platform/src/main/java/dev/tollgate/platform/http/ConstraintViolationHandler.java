package dev.tollgate.platform.http;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.validation.exceptions.ConstraintExceptionHandler;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

import java.util.Map;
import java.util.TreeMap;

/**
 * Answers a bean-validation failure with 400 and {@code fields}: the JSON path of each invalid
 * value (snake_case, as the client sent it, e.g. {@code limits.rpm}, {@code scopes.models[0]})
 * to its message. The method and argument names of the Java signature are left out.
 */
@Singleton
@Replaces(ConstraintExceptionHandler.class)
public class ConstraintViolationHandler implements ExceptionHandler<ConstraintViolationException, HttpResponse<ErrorBody>> {

    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, ConstraintViolationException exception) {
        Map<String, String> fields = new TreeMap<>();
        for (ConstraintViolation<?> violation : exception.getConstraintViolations()) {
            fields.merge(fieldName(violation.getPropertyPath()), violation.getMessage(), (a, b) -> a + "; " + b);
        }
        String message = fields.size() == 1
                ? "Invalid " + fields.keySet().iterator().next() + ": " + fields.values().iterator().next()
                : "Invalid request: " + fields.size() + " fields are not valid (see fields)";
        return HttpResponse.<ErrorBody>badRequest()
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(ErrorBody.withFields(message, fields));
    }

    static String fieldName(@Nullable Path path) {
        if (path == null) {
            return "request";
        }
        StringBuilder out = new StringBuilder();
        String parameter = null;
        for (Path.Node node : path) {
            ElementKind kind = node.getKind();
            if (kind == ElementKind.METHOD || kind == ElementKind.CONSTRUCTOR || kind == ElementKind.RETURN_VALUE) {
                continue;
            }
            if (kind == ElementKind.PARAMETER || kind == ElementKind.CROSS_PARAMETER) {
                // a query or path parameter is the field itself; a body parameter only contains the fields
                parameter = node.getName();
                continue;
            }
            if (node.getName() == null || node.getName().isBlank() || node.getName().startsWith("<")) {
                appendIndex(out, node);
                continue;
            }
            if (!out.isEmpty()) {
                out.append('.');
            }
            out.append(snake(node.getName()));
            appendIndex(out, node);
        }
        if (out.isEmpty()) {
            return parameter == null ? "request" : snake(parameter);
        }
        return out.toString();
    }

    private static void appendIndex(StringBuilder out, Path.Node node) {
        if (node.getIndex() != null) {
            out.append('[').append(node.getIndex()).append(']');
        } else if (node.getKey() != null) {
            out.append('[').append(node.getKey()).append(']');
        }
    }

    static String snake(String name) {
        StringBuilder b = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    b.append('_');
                }
                b.append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
