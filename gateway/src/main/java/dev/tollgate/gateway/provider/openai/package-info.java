/**
 * OpenAI's wire format: the Chat Completions and Embeddings APIs, both directions (the gateway's
 * own {@code /v1/chat/completions} speaks it inbound, and OpenAI, Azure OpenAI and every
 * OpenAI-compatible server speak it upstream), including the streamed chunk format.
 */
package dev.tollgate.gateway.provider.openai;
