/**
 * Invoices: the current period's running total (what the next invoice will show if nothing else
 * is used), per provider and model, read live from billing's hourly rollups.
 */
package dev.tollgate.portal.invoice;
