/** Members (invite by e-mail with a role, change roles, remove) and projects (create, limits, delete). */
package dev.tollgate.portal.team;
