/**
 * Scoped API keys: creation with scopes, limits, expiry, metadata and a default route (the secret is shown once;
 * only its keyed hash is stored, see {@link dev.tollgate.platform.key.ApiKeyHasher}), listing
 * without secrets, changes, rotation with a grace period during which the previous secret still
 * works, and revocation. Every change is announced on the key invalidation channel so gateway
 * replicas drop their cached copy.
 */
package dev.tollgate.tenant.key;
