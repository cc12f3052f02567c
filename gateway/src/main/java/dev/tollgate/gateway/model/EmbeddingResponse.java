package dev.tollgate.gateway.model;

import dev.tollgate.platform.usage.TokenUsage;
import io.micronaut.json.tree.JsonNode;

import java.util.List;

/**
 * Embeddings, one per input in input order.
 *
 * @param vectors each embedding as the upstream encoded it (array of floats, or base64 string)
 */
public record EmbeddingResponse(String model, List<JsonNode> vectors, TokenUsage usage) {

    public EmbeddingResponse {
        vectors = List.copyOf(vectors);
    }
}
