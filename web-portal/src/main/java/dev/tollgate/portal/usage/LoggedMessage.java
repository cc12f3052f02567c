package dev.tollgate.portal.usage;

import io.micronaut.core.annotation.Nullable;

/**
 * One message of a logged request as the gateway stored it: personal data and secrets already
 * replaced by placeholders ({@code [EMAIL]}, {@code [CARD]} …), long text clipped.
 *
 * @param toolCalls the message's tool calls, one {@code name(arguments)} per line; null when none
 */
public record LoggedMessage(String role, String content, @Nullable String toolCalls) {
}
