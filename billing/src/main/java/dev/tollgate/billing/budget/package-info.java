/**
 * Monthly budgets on a tenant, project or key (calendar month in the tenant's time zone):
 * the {@code /api/v1/.../budget} endpoints, threshold e-mails queued exactly once per budget,
 * period and threshold (the mail outbox's dedup key makes this hold across threads and
 * replicas), and hard caps mirrored into the {@code limits.budget_usd_per_month} the gateway
 * enforces with 402.
 */
package dev.tollgate.billing.budget;
