/**
 * Signing up, in and out, and accepting an invitation: the forms that create the session
 * cookie (an access token of the tenant API, read back by Micronaut Security's cookie reader).
 */
package dev.tollgate.portal.session;
