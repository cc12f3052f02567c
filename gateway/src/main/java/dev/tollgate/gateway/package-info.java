/**
 * Tollgate's data plane: the OpenAI- and Anthropic-compatible {@code /v1} endpoints
 * ({@code api}), API-key authentication ({@code auth}), limits and quotas in Redis
 * ({@code limit}), model routing ({@code route}), provider adapters ({@code provider}) and
 * durable usage metering ({@code meter}). {@link dev.tollgate.gateway.GatewayConfiguration}
 * holds the settings shared by these packages.
 */
package dev.tollgate.gateway;
