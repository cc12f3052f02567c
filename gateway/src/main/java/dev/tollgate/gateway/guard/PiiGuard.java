package dev.tollgate.gateway.guard;

import dev.tollgate.gateway.model.ChatRequest;
import dev.tollgate.gateway.model.Message;
import dev.tollgate.gateway.model.Part;
import dev.tollgate.gateway.model.ToolCall;
import dev.tollgate.platform.http.ApiException;
import io.micronaut.http.HttpStatus;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Applies a project's PII mode to a chat request: every text part of every message (system
 * prompt included) and the arguments of earlier tool calls are scanned with {@link PiiScanner}.
 */
public final class PiiGuard {

    /** The error code of a blocked request. */
    public static final String BLOCKED = "pii_detected";

    private PiiGuard() {
    }

    /** The request as the upstream may see it under {@code mode}; throws 400 when blocked. */
    public static ChatRequest apply(ChatRequest request, ProjectSettings.PiiMode mode) {
        return switch (mode) {
            case OFF -> request;
            case REDACT -> redact(request);
            case BLOCK -> {
                Set<PiiCategory> found = find(request);
                if (!found.isEmpty()) {
                    String categories = found.stream().map(PiiCategory::wireName).collect(Collectors.joining(", "));
                    throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_error",
                            "the request contains personal data or secrets (" + categories + ") and this project blocks them;"
                                    + " remove them or ask an admin to switch the project to redact",
                            "messages", BLOCKED, Map.of("categories", categories), null);
                }
                yield request;
            }
        };
    }

    /** The categories found anywhere in the request. */
    public static Set<PiiCategory> find(ChatRequest request) {
        Set<PiiCategory> out = EnumSet.noneOf(PiiCategory.class);
        for (Message m : request.messages()) {
            for (Part p : m.content()) {
                if (p instanceof Part.Text t) {
                    out.addAll(PiiScanner.categories(t.text()));
                }
            }
            for (ToolCall c : m.toolCalls()) {
                out.addAll(PiiScanner.categories(c.arguments()));
            }
        }
        return out;
    }

    /** The request with every finding replaced by its placeholder. */
    public static ChatRequest redact(ChatRequest request) {
        List<Message> messages = new ArrayList<>(request.messages().size());
        boolean changed = false;
        for (Message m : request.messages()) {
            Message r = redact(m);
            changed |= r != m;
            messages.add(r);
        }
        if (!changed) {
            return request;
        }
        return new ChatRequest(request.model(), messages, request.tools(), request.toolChoice(), request.maxTokens(),
                request.temperature(), request.topP(), request.stop(), request.n(), request.user(), request.responseFormat(),
                request.stream(), request.extra());
    }

    private static Message redact(Message m) {
        boolean changed = false;
        List<Part> parts = new ArrayList<>(m.content().size());
        for (Part p : m.content()) {
            if (p instanceof Part.Text t) {
                String r = PiiScanner.redact(t.text());
                changed |= !r.equals(t.text());
                parts.add(r.equals(t.text()) ? p : new Part.Text(r));
            } else {
                parts.add(p);
            }
        }
        List<ToolCall> calls = new ArrayList<>(m.toolCalls().size());
        for (ToolCall c : m.toolCalls()) {
            String r = PiiScanner.redact(c.arguments());
            changed |= !r.equals(c.arguments());
            calls.add(r.equals(c.arguments()) ? c : new ToolCall(c.id(), c.name(), r));
        }
        return changed ? new Message(m.role(), parts, calls, m.toolCallId(), m.name()) : m;
    }
}
