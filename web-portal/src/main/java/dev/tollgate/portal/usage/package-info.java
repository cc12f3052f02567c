/**
 * Usage as the tenant sees it, read from {@code usage_event} (one row per gateway request):
 * the dashboard's month so far, the usage explorer (grouped by day, model, key or project, with
 * a CSV export) and the request log with its detail view, which adds the redacted text the
 * gateway keeps in {@code request_log} for projects that opted in ({@link
 * dev.tollgate.portal.usage.RequestQueries}, read-only). Every query is scoped by the signed-in
 * tenant's id.
 */
package dev.tollgate.portal.usage;
