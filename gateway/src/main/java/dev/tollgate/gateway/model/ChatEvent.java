package dev.tollgate.gateway.model;

import dev.tollgate.platform.usage.TokenUsage;
import io.micronaut.core.annotation.Nullable;

/**
 * One event of a streamed chat answer, provider-neutral. A stream is one {@link Start}, then
 * deltas, a {@link Finish} per choice and at most one {@link Usage}, in the order the
 * upstream sent them.
 */
public sealed interface ChatEvent permits ChatEvent.Start, ChatEvent.TextDelta, ChatEvent.ToolCallDelta,
        ChatEvent.Finish, ChatEvent.Usage {

    /** The answer begins. */
    record Start(String id, String model) implements ChatEvent {
    }

    /** More text for one choice. */
    record TextDelta(int choice, String text) implements ChatEvent {
    }

    /**
     * Part of a tool call: the first delta of call {@code index} carries its id and name, the
     * following ones pieces of the JSON arguments.
     */
    record ToolCallDelta(int choice, int index, @Nullable String id, @Nullable String name,
                         String argumentsDelta) implements ChatEvent {
    }

    /** A choice is complete. */
    record Finish(int choice, FinishReason reason) implements ChatEvent {
    }

    /** Token counts of the whole answer. */
    record Usage(TokenUsage usage) implements ChatEvent {
    }
}
