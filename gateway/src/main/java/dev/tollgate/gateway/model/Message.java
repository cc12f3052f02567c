package dev.tollgate.gateway.model;

import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * One message of a conversation.
 *
 * @param content    text and image parts (may be empty, e.g. an assistant message with only tool calls)
 * @param toolCalls  calls made by an assistant message, empty otherwise
 * @param toolCallId on a {@link Role#TOOL} message: the call it answers
 * @param name       optional participant name (OpenAI {@code name})
 */
public record Message(Role role, List<Part> content, List<ToolCall> toolCalls,
                      @Nullable String toolCallId, @Nullable String name) {

    public Message {
        content = List.copyOf(content);
        toolCalls = List.copyOf(toolCalls);
    }

    public static Message text(Role role, String text) {
        return new Message(role, List.of(new Part.Text(text)), List.of(), null, null);
    }

    /** The text parts joined; images are left out. */
    public String text() {
        StringBuilder b = new StringBuilder();
        for (Part p : content) {
            if (p instanceof Part.Text t) {
                b.append(t.text());
            }
        }
        return b.toString();
    }
}
