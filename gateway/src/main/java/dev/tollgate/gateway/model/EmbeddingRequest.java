package dev.tollgate.gateway.model;

import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * Texts to embed.
 *
 * @param dimensions     output size for models that can shorten their vectors
 * @param encodingFormat {@code float} or {@code base64}, as the caller asked
 */
public record EmbeddingRequest(String model, List<String> input, @Nullable Integer dimensions,
                               @Nullable String encodingFormat, @Nullable String user) {

    public EmbeddingRequest {
        input = List.copyOf(input);
    }

    public EmbeddingRequest withModel(String upstreamModel) {
        return new EmbeddingRequest(upstreamModel, input, dimensions, encodingFormat, user);
    }
}
