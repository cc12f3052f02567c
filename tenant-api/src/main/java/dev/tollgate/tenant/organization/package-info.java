/**
 * The organization (tenant) settings a customer manages: its name and its time zone, an IANA
 * name both the JDK and PostgreSQL know ({@link dev.tollgate.tenant.organization.TimeZones}),
 * at whose midnight quota days and months, budget months and invoices start. A zone change
 * invalidates the tenant's cached keys on every gateway replica.
 */
package dev.tollgate.tenant.organization;
