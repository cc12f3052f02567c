package dev.tollgate.platform.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A plain java.net.http client for simulator tests. */
final class SimClient {

    final String baseUrl;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    SimClient(UpstreamSimulator simulator) {
        this.baseUrl = simulator.baseUrl();
    }

    HttpResponse<String> post(String path, Object body, String... headers) {
        return send(request(path, headers).POST(HttpRequest.BodyPublishers.ofString(
            body instanceof String s ? s : Json.text(body))).build());
    }

    HttpResponse<String> get(String path, String... headers) {
        return send(request(path, headers).GET().build());
    }

    HttpResponse<String> delete(String path) {
        return send(request(path).DELETE().build());
    }

    HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder;
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Posts and reads the SSE answer; events are collected until the stream ends or fails. */
    Sse stream(String path, Object body, String... headers) {
        HttpRequest request = request(path, headers)
            .POST(HttpRequest.BodyPublishers.ofString(Json.text(body))).build();
        Sse sse = new Sse();
        try {
            HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            sse.status = response.statusCode();
            sse.contentType = response.headers().firstValue("Content-Type").orElse("");
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String event = null;
                String line;
                while ((line = reader.readLine()) != null) {
                    sse.lines.add(line);
                    if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        sse.events.add(new Event(event, line.substring(6)));
                        event = null;
                    }
                }
            }
        } catch (IOException e) {
            sse.failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return sse;
    }

    static Map<String, Object> json(HttpResponse<String> response) {
        return Json.readObject(response.body().getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, Object> json(String text) {
        return Json.readObject(text.getBytes(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    static <T> T at(Object root, Object... path) {
        Object current = root;
        for (Object step : path) {
            if (current == null) {
                return null;
            }
            current = step instanceof Integer i ? ((List<Object>) current).get(i) : ((Map<String, Object>) current).get(step);
        }
        return (T) current;
    }

    static long number(Object root, Object... path) {
        Number value = at(root, path);
        if (value == null) {
            throw new AssertionError("no number at " + List.of(path) + " in " + root);
        }
        return value.longValue();
    }

    record Event(String name, String data) {
        Map<String, Object> json() {
            return SimClient.json(data);
        }
    }

    static final class Sse {
        int status;
        String contentType;
        final List<String> lines = new ArrayList<>();
        final List<Event> events = new ArrayList<>();
        IOException failure;

        List<Map<String, Object>> jsonEvents() {
            return events.stream().filter(e -> !e.data().equals("[DONE]")).map(Event::json).toList();
        }
    }
}
