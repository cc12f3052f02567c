package dev.tollgate.gateway.provider;

import dev.tollgate.gateway.model.EmbeddingRequest;
import dev.tollgate.gateway.model.EmbeddingResponse;
import org.reactivestreams.Publisher;

/** A provider that computes embeddings. */
public interface Embeddings {

    Publisher<EmbeddingResponse> embed(EmbeddingRequest request);
}
