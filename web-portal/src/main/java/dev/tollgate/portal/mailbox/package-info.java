/**
 * The mailbox of the embedded default: the tenant's e-mails in the outbox (budget alerts,
 * invitations, reports), so that a new user sees what Tollgate sent without an SMTP server.
 */
package dev.tollgate.portal.mailbox;
