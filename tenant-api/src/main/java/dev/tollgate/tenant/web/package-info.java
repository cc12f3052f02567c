/**
 * What every tenant-API endpoint shares: the module's settings, the signed-in caller as read
 * from the database (so a removed member or a changed role takes effect at once, whatever the
 * token says), the JDBC transaction helper, and the request body size limit.
 */
package dev.tollgate.tenant.web;
