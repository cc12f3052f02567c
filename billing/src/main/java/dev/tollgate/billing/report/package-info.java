/**
 * Optional e-mails about spend, both through the platform's mail outbox with dedup keys and both
 * opt-out per user ({@link dev.tollgate.billing.report.MailPreferenceController}): the spend-spike
 * alert when today's spend is far above the trailing seven-day average
 * ({@link dev.tollgate.billing.report.SpendSpikeAlerts}) and the Monday weekly report
 * ({@link dev.tollgate.billing.report.WeeklyReport}).
 */
package dev.tollgate.billing.report;
