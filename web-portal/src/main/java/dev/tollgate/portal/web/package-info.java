/**
 * What every portal page shares: configuration, the session cookie, CSRF protection, static
 * assets, the page model and the filter that turns errors of browser requests into pages (or a
 * redirect to the login page) instead of JSON.
 */
package dev.tollgate.portal.web;
