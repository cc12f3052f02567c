/**
 * Invoices of a tenant: drafted locally each month from the hourly rollups when Stripe is off
 * ({@link dev.tollgate.billing.invoice.LocalInvoiceDrafter}), mirrored from Stripe's invoice
 * webhooks when it is on, and listed with the current period's running total at
 * {@code GET /api/v1/invoices} ({@link dev.tollgate.billing.invoice.InvoiceController}).
 */
package dev.tollgate.billing.invoice;
