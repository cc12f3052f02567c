package dev.tollgate.gateway.model;

import io.micronaut.core.annotation.Nullable;

/** One alternative answer of a chat response. */
public record Choice(int index, Message message, @Nullable FinishReason finishReason) {
}
