/**
 * The API keys page: list with status and last use, create (name, project, scopes, limits,
 * monthly budget, expiry) with the secret shown once, rotate with a grace period, revoke.
 */
package dev.tollgate.portal.key;
