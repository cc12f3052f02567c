/**
 * The {@code /v1} endpoints: OpenAI's {@code chat/completions}, {@code embeddings} and
 * {@code models}, and Anthropic's {@code messages}. Controllers decode the caller's format into the
 * neutral model; {@link dev.tollgate.gateway.api.ChatRelay} runs the request (scope check,
 * routing, limits, the upstream call, streaming, metering, limit settlement) and the controller's
 * format encodes the answer. Errors are answered by {@link dev.tollgate.gateway.GatewayErrors}:
 * OpenAI's shape, except Anthropic's on {@code /v1/messages}.
 */
package dev.tollgate.gateway.api;
