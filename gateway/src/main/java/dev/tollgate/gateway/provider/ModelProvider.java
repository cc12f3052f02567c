package dev.tollgate.gateway.provider;

import dev.tollgate.gateway.model.ChatRequest;
import dev.tollgate.gateway.model.ChatResponse;
import org.reactivestreams.Publisher;

/**
 * One upstream provider target that answers chat requests. Implementations are non-blocking:
 * the publisher does its I/O on the HTTP client's event loop and signals a
 * {@link dev.tollgate.gateway.model.ProviderException} when the upstream fails. Streaming and
 * embeddings are separate, optional abilities ({@link StreamingChat}, {@link Embeddings}).
 */
public interface ModelProvider {

    /** The target this provider calls. */
    ProviderTarget target();

    /** One complete answer. {@code request.model()} is already the upstream's model name. */
    Publisher<ChatResponse> chat(ChatRequest request);
}
