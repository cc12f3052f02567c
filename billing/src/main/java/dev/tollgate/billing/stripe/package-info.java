/**
 * Stripe usage billing, on only when {@code tollgate.stripe.api-key} is set: customers and
 * subscriptions for new tenants ({@link dev.tollgate.billing.stripe.StripeAccountSync}), hourly
 * usage reported as meter events from an outbox ({@link dev.tollgate.billing.stripe.StripeUsageReporter}),
 * and signed webhooks keeping the local invoices in step
 * ({@link dev.tollgate.billing.stripe.StripeWebhookController}).
 */
package dev.tollgate.billing.stripe;
