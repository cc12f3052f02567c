package dev.tollgate.gateway.model;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * A chat completion request in provider-neutral form. System prompts are messages with
 * {@link Role#SYSTEM}, wherever the inbound format put them.
 *
 * @param model           the model as the caller named it (the router rewrites it to the upstream name)
 * @param maxTokens       the output token cap, null when the caller left it to the provider
 * @param stop            stop sequences, empty for none
 * @param n               number of choices (1 unless asked)
 * @param user            end-user id for abuse monitoring
 * @param extra           OpenAI parameters without a neutral meaning (seed, logprobs, penalties …),
 *                        passed through to OpenAI-compatible upstreams only
 */
public record ChatRequest(String model,
                          List<Message> messages,
                          List<Tool> tools,
                          @Nullable ToolChoice toolChoice,
                          @Nullable Integer maxTokens,
                          @Nullable Double temperature,
                          @Nullable Double topP,
                          List<String> stop,
                          int n,
                          @Nullable String user,
                          @Nullable ResponseFormat responseFormat,
                          boolean stream,
                          Map<String, JsonNode> extra) {

    public ChatRequest {
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
        stop = List.copyOf(stop);
        extra = Map.copyOf(extra);
    }

    /** The same request, streamed or not. */
    public ChatRequest withStream(boolean streamed) {
        return new ChatRequest(model, messages, tools, toolChoice, maxTokens, temperature, topP, stop, n,
                user, responseFormat, streamed, extra);
    }

    /** The same request for another model name (the upstream's name for it). */
    public ChatRequest withModel(String upstreamModel) {
        return new ChatRequest(upstreamModel, messages, tools, toolChoice, maxTokens, temperature, topP, stop, n,
                user, responseFormat, stream, extra);
    }
}
