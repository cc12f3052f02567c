package dev.tollgate.gateway.provider;

import dev.tollgate.gateway.model.Json;
import dev.tollgate.gateway.model.JsonTrees;
import dev.tollgate.gateway.model.ProviderException;
import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.DefaultHttpClientConfiguration;
import io.micronaut.http.client.LoadBalancer;
import io.micronaut.http.client.StreamingHttpClient;
import io.micronaut.http.client.StreamingHttpClientRegistry;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.sse.SseClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.client.exceptions.ReadTimeoutException;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The one HTTP client of every provider adapter: JSON in, JSON or server-sent events out, all on
 * the client's event loop. Failures become {@link ProviderException}s whose message is safe to
 * show: the upstream's own error message, except for credential errors, which only say that the
 * gateway's credential was refused.
 */
@Singleton
public class UpstreamHttp {

    private static final int MAX_MESSAGE = 500;

    private final StreamingHttpClient client;

    public UpstreamHttp(StreamingHttpClientRegistry<?> registry, BeanContext context,
                        @Value("${tollgate.gateway.upstream-connect-timeout:10s}") Duration connectTimeout) {
        DefaultHttpClientConfiguration configuration = new DefaultHttpClientConfiguration();
        configuration.setConnectTimeout(connectTimeout);
        // per-target timeouts are applied on the publishers; this is only the client's ceiling
        configuration.setReadTimeout(Duration.ofMinutes(30));
        configuration.setMaxContentLength(256 * 1024 * 1024);
        this.client = registry.resolveStreamingHttpClient(null, LoadBalancer.empty(), configuration, context);
    }

    /** POSTs a JSON body and reads a JSON answer. */
    public Mono<JsonNode> postJson(ProviderTarget target, URI uri, Map<String, String> headers, JsonNode body) {
        return Mono.defer(() -> Mono.from(client.exchange(request(uri, headers, body, MediaType.APPLICATION_JSON_TYPE),
                        Argument.of(byte[].class), Argument.of(byte[].class))))
                .map(response -> parse(target, response.body()))
                .timeout(target.timeout())
                .onErrorMap(e -> classify(target, e));
    }

    /**
     * POSTs a JSON body and reads the answer as server-sent events; fails when the target's timeout
     * passes without an event (before the first or between two). Cancelling closes the connection.
     */
    public Flux<SseEvent> postSse(ProviderTarget target, URI uri, Map<String, String> headers, JsonNode body) {
        Flux<SseEvent> events = Flux.defer(() -> Flux.from(((SseClient) client).eventStream(request(uri, headers, body, MediaType.TEXT_EVENT_STREAM_TYPE)))
                // the client releases each buffer after onNext: copy it here
                .map(event -> new SseEvent(event.getName(),
                        event.getData() == null ? "" : event.getData().toString(StandardCharsets.UTF_8))));
        return IdleTimeout.apply(events, target.timeout()).onErrorMap(e -> classify(target, e));
    }

    /** Parses an upstream JSON body. */
    public JsonNode parse(ProviderTarget target, byte[] body) {
        try {
            return JsonTrees.parse(body);
        } catch (IOException | RuntimeException e) {
            throw new ProviderException(ProviderException.Kind.UPSTREAM_ERROR, target.name(), 200,
                    "provider " + target.name() + " sent a response that is not valid JSON", null);
        }
    }

    private MutableHttpRequest<byte[]> request(URI uri, Map<String, String> headers, JsonNode body, MediaType accept) {
        MutableHttpRequest<byte[]> request = HttpRequest.POST(uri, JsonTrees.writeBytes(body))
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .accept(accept);
        headers.forEach(request::header);
        return request;
    }

    private Throwable classify(ProviderTarget target, Throwable e) {
        String name = target.name();
        if (e instanceof ProviderException) {
            return e;
        }
        if (e instanceof HttpClientResponseException r) {
            int status = r.getStatus().getCode();
            ProviderException.Kind kind = ProviderException.kindOf(status);
            String message = kind == ProviderException.Kind.AUTHENTICATION
                    ? "provider " + name + " refused the gateway's credential (HTTP " + status + ")"
                    : "provider " + name + " answered HTTP " + status + upstreamMessage(r);
            return new ProviderException(kind, name, status, message, retryAfter(r));
        }
        if (e instanceof ReadTimeoutException || e instanceof TimeoutException) {
            return new ProviderException(ProviderException.Kind.TIMEOUT, name, 0,
                    "provider " + name + " did not answer within " + target.timeout().toSeconds() + " s", null);
        }
        if (e instanceof HttpClientException) {
            return new ProviderException(ProviderException.Kind.UNAVAILABLE, name, 0,
                    "provider " + name + " is unreachable", null);
        }
        return new ProviderException(ProviderException.Kind.UPSTREAM_ERROR, name, 0,
                "provider " + name + " failed: " + e.getClass().getSimpleName(), null);
    }

    private String upstreamMessage(HttpClientResponseException r) {
        try {
            byte[] body = r.getResponse().getBody(byte[].class).orElse(null);
            if (body == null || body.length == 0) {
                return "";
            }
            JsonNode node = JsonTrees.parse(body);
            String message = Json.text(Json.field(node, "error"), "message");
            if (message == null) {
                message = Json.text(node, "message");
            }
            if (message == null) {
                return "";
            }
            message = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "…" : message;
            return ": " + message;
        } catch (IOException | RuntimeException ignored) {
            return "";
        }
    }

    private static Duration retryAfter(HttpClientResponseException r) {
        String header = r.getResponse().getHeaders().get("Retry-After");
        if (header == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
