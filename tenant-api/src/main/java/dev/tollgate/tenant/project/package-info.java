/**
 * Projects: the teams or environments ("prod", "qa") a tenant's keys belong to, each with limits
 * of its own. Admins and owners change them; deleting a project revokes its keys.
 */
package dev.tollgate.tenant.project;
