/** The organization's settings page: name, plan and time zone, changed by owners and admins. */
package dev.tollgate.portal.organization;
