package dev.tollgate.gateway.model;

import dev.tollgate.platform.usage.TokenUsage;
import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * A complete chat answer.
 *
 * @param id      the upstream's response id
 * @param model   the model that served it, as the upstream names it
 * @param usage   token counts, null when the upstream reported none
 */
public record ChatResponse(String id, String model, List<Choice> choices, @Nullable TokenUsage usage) {

    public ChatResponse {
        choices = List.copyOf(choices);
    }
}
