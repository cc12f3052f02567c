package dev.tollgate.gateway.provider.anthropic;

import dev.tollgate.gateway.model.ChatEvent;
import dev.tollgate.gateway.model.ChatRequest;
import dev.tollgate.gateway.model.ChatResponse;
import dev.tollgate.gateway.model.Json;
import dev.tollgate.gateway.provider.ModelProvider;
import dev.tollgate.gateway.provider.ProviderSupport;
import dev.tollgate.gateway.provider.ProviderTarget;
import dev.tollgate.gateway.provider.StreamingChat;
import dev.tollgate.gateway.provider.UpstreamHttp;
import dev.tollgate.platform.http.ApiException;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Anthropic's Messages API: {@code POST {base}/messages} with {@code x-api-key} and {@code anthropic-version}. */
public class AnthropicProvider implements ModelProvider, StreamingChat {

    /** The API version sent when the target sets none. */
    public static final String DEFAULT_VERSION = "2023-06-01";

    private final ProviderTarget target;
    private final UpstreamHttp http;
    private final ProviderSupport support;
    private final AnthropicCodec codec;
    private final int defaultMaxTokens;

    public AnthropicProvider(ProviderTarget target, UpstreamHttp http, ProviderSupport support, JsonMapper json,
                             int defaultMaxTokens) {
        this.target = target;
        this.http = http;
        this.support = support;
        this.codec = new AnthropicCodec(json);
        this.defaultMaxTokens = defaultMaxTokens;
    }

    @Override
    public ProviderTarget target() {
        return target;
    }

    @Override
    public Publisher<ChatResponse> chat(ChatRequest request) {
        if (request.n() != 1) {
            return Mono.error(unsupportedN());
        }
        return http.postJson(target, uri(), headers(), codec.encodeRequest(request.withStream(false), defaultMaxTokens))
                .map(codec::decodeResponse);
    }

    @Override
    public Publisher<ChatEvent> stream(ChatRequest request) {
        if (request.n() != 1) {
            return Flux.error(unsupportedN());
        }
        return Flux.defer(() -> {
            AnthropicCodec.StreamDecoder decoder = new AnthropicCodec.StreamDecoder();
            return http.postSse(target, uri(), headers(), codec.encodeRequest(request.withStream(true), defaultMaxTokens))
                    .filter(event -> !event.data().isBlank())
                    .concatMapIterable(event -> {
                        JsonNode data = http.parse(target, event.data().getBytes(StandardCharsets.UTF_8));
                        String type = event.event() != null ? event.event() : String.valueOf(Json.text(data, "type"));
                        if ("error".equals(type)) {
                            support.failOnStreamError(data);
                            return List.<ChatEvent>of();
                        }
                        return decoder.decode(type, data);
                    });
        });
    }

    private ApiException unsupportedN() {
        return ApiException.badRequest("provider " + target.name() + " answers one choice per request: 'n' must be 1", "n");
    }

    private URI uri() {
        return URI.create(support.baseUrl() + "/messages");
    }

    private Map<String, String> headers() {
        return Map.of("x-api-key", support.apiKey(),
                "anthropic-version", target.apiVersion() == null ? DEFAULT_VERSION : target.apiVersion());
    }
}
