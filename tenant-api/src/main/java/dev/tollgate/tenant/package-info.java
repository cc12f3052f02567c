/**
 * The tenant API: how a customer gets in and manages what it owns. Sign-up and login, the
 * organization's name and time zone, members and invitations, projects, scoped API keys (create, rotate with grace, revoke, with every
 * replica told through {@link dev.tollgate.platform.tenant.KeyInvalidations}), and the
 * operator's admin API. All endpoints are switched by {@code tollgate.tenant-api.enabled}.
 */
package dev.tollgate.tenant;
