/**
 * Usage as the tenant sees it, read from {@code usage_event} (one row per gateway request):
 * the dashboard's month so far, the usage explorer (grouped by day, model, key or project, with
 * a CSV export) and the request log. Every query is scoped by the signed-in tenant's id.
 */
package dev.tollgate.portal.usage;
