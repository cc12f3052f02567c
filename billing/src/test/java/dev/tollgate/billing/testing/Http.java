package dev.tollgate.billing.testing;

import dev.tollgate.platform.testing.TestServices;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Small helpers for this module's HTTP tests: admin calls, raw JSON bodies, error responses. */
public final class Http {

    private Http() {
    }

    /** The text of a test resource. */
    public static String resource(String path) {
        try (InputStream in = Http.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> MutableHttpRequest<T> admin(MutableHttpRequest<T> request) {
        return request.bearerAuth(TestServices.ADMIN_TOKEN).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /** Sends and returns the response whatever its status (4xx included). */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public static HttpResponse<Map> exchange(BlockingHttpClient client, HttpRequest<?> request) {
        try {
            return client.exchange(request, Map.class);
        } catch (HttpClientResponseException e) {
            return (HttpResponse<Map>) (HttpResponse) e.getResponse();
        }
    }

    /** The {@code error} object of an error response body. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> error(HttpResponse<Map> response) {
        Map<String, Object> body = response.getBody(Map.class).orElseThrow();
        return (Map<String, Object>) body.get("error");
    }
}
