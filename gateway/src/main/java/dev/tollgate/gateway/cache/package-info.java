/**
 * Response caching, enabled per route ({@code "cache"} in a route config). The
 * {@link dev.tollgate.gateway.cache.ExactCache} keeps, in Redis, exactly what a client received
 * for a request (JSON body or event stream) under a hash of the tenant and the normalised request
 * ({@link dev.tollgate.gateway.cache.CacheKeys}); the {@link dev.tollgate.gateway.cache.SemanticCache}
 * finds answers to questions that mean the same, by local sentence embeddings
 * ({@link dev.tollgate.gateway.cache.Embedder}), rows in PostgreSQL and an in-memory search.
 * {@link dev.tollgate.gateway.cache.CachePolicy} applies the client's cache headers.
 */
package dev.tollgate.gateway.cache;
