package dev.tollgate.platform.simulator;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One request to the simulator and the ways to answer it. */
final class HttpCall {

    private final HttpExchange exchange;
    private final Map<String, List<String>> query;
    private byte[] body;
    private boolean answered;

    HttpCall(HttpExchange exchange) {
        this.exchange = exchange;
        this.query = parseQuery(exchange.getRequestURI().getRawQuery());
    }

    String method() {
        return exchange.getRequestMethod();
    }

    String path() {
        return exchange.getRequestURI().getPath();
    }

    @Nullable
    String header(String name) {
        String value = exchange.getRequestHeaders().getFirst(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The bearer token of the {@code Authorization} header, if any. */
    @Nullable
    String bearer() {
        String authorization = header("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    @Nullable
    String query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    List<String> queries(String name) {
        return query.getOrDefault(name, List.of());
    }

    byte[] body() throws IOException {
        if (body == null) {
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
        }
        return body;
    }

    boolean answered() {
        return answered;
    }

    void json(int status, Object value) throws IOException {
        json(status, value, Map.of());
    }

    void json(int status, Object value, Map<String, String> headers) throws IOException {
        send(status, "application/json", Json.write(value), headers);
    }

    void send(int status, String contentType, byte[] bytes, Map<String, String> headers) throws IOException {
        Headers response = exchange.getResponseHeaders();
        response.set("Content-Type", contentType);
        headers.forEach(response::set);
        answered = true;
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Starts a 200 {@code text/event-stream} answer (chunked). */
    EventStream stream(long chunkDelayMs, Map<String, String> headers) throws IOException {
        Headers response = exchange.getResponseHeaders();
        response.set("Content-Type", "text/event-stream; charset=utf-8");
        response.set("Cache-Control", "no-cache");
        headers.forEach(response::set);
        answered = true;
        exchange.sendResponseHeaders(200, 0);
        return new EventStream(exchange.getResponseBody(), chunkDelayMs);
    }

    /** Sends a 200 whose body stops halfway through {@code bytes}, then drops the connection. */
    void partialThenDrop(String contentType, byte[] bytes, Map<String, String> headers) throws IOException {
        Headers response = exchange.getResponseHeaders();
        response.set("Content-Type", contentType);
        headers.forEach(response::set);
        answered = true;
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write(bytes, 0, bytes.length / 2);
        out.flush();
        letSentBytesArrive();
        throw new Dropped();
    }

    /**
     * A real upstream that dies mid-answer has delivered what it sent before; closing in the same
     * instant as the last write lets the reset overtake those bytes on loopback, so the drop waits
     * a moment first.
     */
    static void letSentBytesArrive() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the connection without any answer. */
    void drop() throws Dropped {
        throw new Dropped();
    }

    private static Map<String, List<String>> parseQuery(@Nullable String raw) {
        Map<String, List<String>> params = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    /**
     * Thrown to make the JDK server close the connection as is: an {@link IOException} escaping a
     * handler closes the socket without a final chunk, which is what a dropped upstream looks like.
     */
    static final class Dropped extends IOException {
        Dropped() {
            super("connection dropped by the simulator", null);
        }
    }
}
