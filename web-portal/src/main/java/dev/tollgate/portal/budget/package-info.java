/**
 * Budgets and alerts: a monthly budget on the organization, a project or a key, with its alert
 * thresholds, recipients and hard cap, kept by billing's {@code BudgetService} in this process
 * (the same service the billing worker checks and the dashboard reads).
 */
package dev.tollgate.portal.budget;
