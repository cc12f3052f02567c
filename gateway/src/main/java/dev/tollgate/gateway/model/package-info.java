/**
 * The provider-neutral model of the gateway: chat requests and responses, streaming events,
 * embeddings and provider errors. Every inbound API format is decoded into these types and
 * every provider adapter maps them to its own wire format, so that any format can reach any
 * provider. {@link dev.tollgate.gateway.model.Json} holds the small helpers the wire codecs
 * share for reading and building JSON trees.
 */
package dev.tollgate.gateway.model;
