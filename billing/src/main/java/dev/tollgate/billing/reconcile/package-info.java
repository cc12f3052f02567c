/**
 * Reconciliation, per provider, model and UTC day: raw events re-priced against their stored
 * costs and the rollups, our metered tokens against the providers' usage APIs, and what was
 * reported to Stripe against Stripe's meter event summaries. Differences are classified
 * ({@code missing_events}, {@code token_mismatch}, {@code price_mismatch}, {@code excess_events}),
 * logged, stored and served at {@code GET /admin/v1/reconciliation}.
 */
package dev.tollgate.billing.reconcile;
