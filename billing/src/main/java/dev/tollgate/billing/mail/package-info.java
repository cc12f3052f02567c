/**
 * Delivery of the platform's mail outbox: with {@code tollgate.mail.smtp.host} set, a worker
 * sends queued mails over SMTP (micronaut-email-javamail; HTML and plain text), retrying with
 * exponential backoff and recording status, attempts and the last error on each row. Without
 * SMTP (the embedded default) mails stay queued and the outbox is the mailbox, readable at
 * {@code GET /admin/v1/outbox} and, for a tenant's own mails, {@code GET /api/v1/mailbox}.
 */
package dev.tollgate.billing.mail;
