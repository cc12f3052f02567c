/**
 * Usage metering: exactly one {@link dev.tollgate.platform.usage.UsageEvent} per request.
 * {@link dev.tollgate.gateway.meter.UsageMeter} prices and records events;
 * {@link dev.tollgate.gateway.meter.UsageJournal} appends them to a local append-only journal
 * (fsynced per write group) before they count as recorded, and a background thread inserts
 * closed journal segments into PostgreSQL in batches, idempotently ({@code on conflict do nothing}
 * on request id and time), deleting a segment only once it is in the database. Segments left by a
 * crash are replayed at start-up; during a PostgreSQL outage they accumulate and are replayed
 * when it returns. {@link dev.tollgate.gateway.meter.TokenCounter} counts tokens (jtokkit) where
 * a provider reports none and for limit reservations.
 */
package dev.tollgate.gateway.meter;
