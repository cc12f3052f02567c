package dev.tollgate.gateway.provider.openai;

import dev.tollgate.gateway.model.ChatEvent;
import dev.tollgate.gateway.model.ChatRequest;
import dev.tollgate.gateway.model.ChatResponse;
import dev.tollgate.gateway.model.EmbeddingRequest;
import dev.tollgate.gateway.model.EmbeddingResponse;
import dev.tollgate.gateway.provider.Embeddings;
import dev.tollgate.gateway.provider.ModelProvider;
import dev.tollgate.gateway.provider.ProviderSupport;
import dev.tollgate.gateway.provider.ProviderTarget;
import dev.tollgate.gateway.provider.StreamingChat;
import dev.tollgate.gateway.provider.UpstreamHttp;
import io.micronaut.json.tree.JsonNode;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * OpenAI and every OpenAI-compatible server (Mistral, Groq, Together, DeepSeek, vLLM, Ollama …):
 * {@code POST {base}/chat/completions} and {@code {base}/embeddings} with a bearer key.
 */
public class OpenAiProvider implements ModelProvider, StreamingChat, Embeddings {

    protected final ProviderTarget target;
    protected final UpstreamHttp http;
    protected final ProviderSupport support;

    public OpenAiProvider(ProviderTarget target, UpstreamHttp http, ProviderSupport support) {
        this.target = target;
        this.http = http;
        this.support = support;
    }

    @Override
    public ProviderTarget target() {
        return target;
    }

    @Override
    public Publisher<ChatResponse> chat(ChatRequest request) {
        return http.postJson(target, chatUri(request.model()), headers(), OpenAiCodec.encodeRequest(request.withStream(false)))
                .map(OpenAiCodec::decodeResponse);
    }

    @Override
    public Publisher<ChatEvent> stream(ChatRequest request) {
        return Flux.defer(() -> {
            OpenAiCodec.StreamDecoder decoder = new OpenAiCodec.StreamDecoder();
            return http.postSse(target, chatUri(request.model()), headers(), OpenAiCodec.encodeRequest(request.withStream(true)))
                    .filter(event -> !event.data().isBlank() && !"[DONE]".equals(event.data().trim()))
                    .concatMapIterable(event -> {
                        JsonNode chunk = http.parse(target, event.data().getBytes(StandardCharsets.UTF_8));
                        support.failOnStreamError(chunk);
                        return decoder.decode(chunk);
                    });
        });
    }

    @Override
    public Publisher<EmbeddingResponse> embed(EmbeddingRequest request) {
        return http.postJson(target, embeddingsUri(request.model()), headers(), OpenAiCodec.encodeEmbeddingRequest(request))
                .map(OpenAiCodec::decodeEmbeddingResponse);
    }

    protected URI chatUri(String model) {
        return URI.create(support.baseUrl() + "/chat/completions");
    }

    protected URI embeddingsUri(String model) {
        return URI.create(support.baseUrl() + "/embeddings");
    }

    protected Map<String, String> headers() {
        String key = support.apiKey();
        return key.isEmpty() ? Map.of() : Map.of("Authorization", "Bearer " + key);
    }
}
