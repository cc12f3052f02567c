/**
 * Getting in: sign-up (a tenant, its owner, a default project and a first API key in one
 * transaction), login with bcrypt-hashed passwords and Redis-backed throttling of failures per
 * e-mail and per client address, and the access tokens (JWT, claims of
 * {@link dev.tollgate.platform.security.TenantUser}) both hand out.
 */
package dev.tollgate.tenant.account;
