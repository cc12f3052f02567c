/**
 * API-key authentication of {@code /v1/**}: the {@link dev.tollgate.gateway.auth.ApiKeyFilter}
 * parses the presented key, looks it up through {@link dev.tollgate.gateway.auth.ApiKeyCache}
 * (a short-lived Caffeine cache loaded off the event loop and evicted by Redis invalidation
 * messages), verifies hash, rotation grace, expiry, revocation, tenant and project state and the
 * endpoint scope, and hands the {@link dev.tollgate.gateway.auth.Caller} to the controllers.
 */
package dev.tollgate.gateway.auth;
