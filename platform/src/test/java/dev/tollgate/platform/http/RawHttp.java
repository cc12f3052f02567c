package dev.tollgate.platform.http;

import io.micronaut.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A plain JDK HTTP client for tests that must send exactly what they want (malformed JSON, odd
 * content types, oversized bodies) and read any status with its raw body, without the
 * Micronaut client's own conversions in the way.
 */
public final class RawHttp {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final JsonMapper json;

    public RawHttp(URI base, JsonMapper json) {
        this.base = base;
        this.json = json;
    }

    /** A response: status, headers and body text, with the body parsed as JSON on demand. */
    public record Reply(int status, Map<String, List<String>> headers, String body, JsonMapper json) {

        public Map<String, Object> map() {
            try {
                return json.readValue(body, io.micronaut.core.type.Argument.mapOf(String.class, Object.class));
            } catch (IOException e) {
                throw new UncheckedIOException("not a JSON object (status " + status + "): " + body, e);
            }
        }

        /** The {@code error} object of an ErrorBody. */
        @SuppressWarnings("unchecked")
        public Map<String, Object> error() {
            Object error = map().get("error");
            if (!(error instanceof Map)) {
                throw new AssertionError("not an ErrorBody (status " + status + "): " + body);
            }
            return (Map<String, Object>) error;
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }
    }

    public Reply send(String method, String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers().map(), r.body(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Reply json(String method, String path, String json, String... headers) {
        return send(method, path, "application/json", json == null ? null : json.getBytes(java.nio.charset.StandardCharsets.UTF_8), headers);
    }

    public Reply get(String path, String... headers) {
        return send("GET", path, null, null, headers);
    }
}
