/**
 * Upstream providers: the narrow {@link dev.tollgate.gateway.provider.ModelProvider} contract with
 * its optional abilities ({@link dev.tollgate.gateway.provider.StreamingChat},
 * {@link dev.tollgate.gateway.provider.Embeddings}), one provider target per
 * {@code tollgate.providers.<name>} entry, their credentials (configuration, overridden by the
 * encrypted {@code provider_credential} table) and the shared non-blocking HTTP plumbing
 * (JSON calls and server-sent events). Each sub-package owns one wire format.
 */
package dev.tollgate.gateway.provider;
