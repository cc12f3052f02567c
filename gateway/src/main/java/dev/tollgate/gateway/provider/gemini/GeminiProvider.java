package dev.tollgate.gateway.provider.gemini;

import dev.tollgate.gateway.model.ChatEvent;
import dev.tollgate.gateway.model.ChatRequest;
import dev.tollgate.gateway.model.ChatResponse;
import dev.tollgate.gateway.provider.ModelProvider;
import dev.tollgate.gateway.provider.ProviderSupport;
import dev.tollgate.gateway.provider.ProviderTarget;
import dev.tollgate.gateway.provider.StreamingChat;
import dev.tollgate.gateway.provider.UpstreamHttp;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Gemini: {@code POST {base}/models/{model}:generateContent} and {@code :streamGenerateContent?alt=sse}. */
public class GeminiProvider implements ModelProvider, StreamingChat {

    private final ProviderTarget target;
    private final UpstreamHttp http;
    private final ProviderSupport support;
    private final GeminiCodec codec;

    public GeminiProvider(ProviderTarget target, UpstreamHttp http, ProviderSupport support, JsonMapper json) {
        this.target = target;
        this.http = http;
        this.support = support;
        this.codec = new GeminiCodec(json);
    }

    @Override
    public ProviderTarget target() {
        return target;
    }

    @Override
    public Publisher<ChatResponse> chat(ChatRequest request) {
        return http.postJson(target, uri(request.model(), ":generateContent"), headers(), codec.encodeRequest(request))
                .map(body -> codec.decodeResponse(body, request.model()));
    }

    @Override
    public Publisher<ChatEvent> stream(ChatRequest request) {
        return Flux.defer(() -> {
            GeminiCodec.StreamDecoder decoder = codec.new StreamDecoder(request.model());
            return http.postSse(target, uri(request.model(), ":streamGenerateContent?alt=sse"), headers(), codec.encodeRequest(request))
                    .filter(event -> !event.data().isBlank())
                    .concatMapIterable(event -> {
                        JsonNode chunk = http.parse(target, event.data().getBytes(StandardCharsets.UTF_8));
                        support.failOnStreamError(chunk);
                        return decoder.decode(chunk);
                    })
                    .concatWith(Flux.defer(() -> Flux.fromIterable(decoder.finish())));
        });
    }

    private URI uri(String model, String operation) {
        return URI.create(support.baseUrl() + "/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8) + operation);
    }

    private Map<String, String> headers() {
        String key = support.apiKey();
        return key.isEmpty() ? Map.of() : Map.of("x-goog-api-key", key);
    }
}
