/**
 * Anthropic's Messages API wire format, both directions: the gateway's own {@code /v1/messages}
 * speaks it inbound and the Anthropic adapter upstream, streamed events included. Anthropic puts
 * the system prompt beside the messages, tool results inside user messages and counts cached
 * prompt tokens apart from {@code input_tokens}; the codec maps all of it to the neutral model.
 */
package dev.tollgate.gateway.provider.anthropic;
