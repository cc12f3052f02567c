/**
 * Invoices: the current period's running total (what the next invoice will show if nothing else
 * is used), per provider and model, read live from billing's hourly rollups, and the tenant's
 * invoices (drafted locally or mirrored from Stripe) with their status and, from Stripe, links
 * to the hosted page and the PDF; all read through billing's {@code InvoiceStore}.
 */
package dev.tollgate.portal.invoice;
