/**
 * The operator's admin API under {@code /admin/v1}, behind the admin token
 * ({@link dev.tollgate.platform.admin.AdminTokenFilter}): tenants (list, suspend, reinstate,
 * plan, markup, limits) and provider credentials, sealed with
 * {@link dev.tollgate.platform.secret.SecretBox} under associated data
 * {@code provider_credential:<id>} and only ever returned masked.
 */
package dev.tollgate.tenant.operator;
