/**
 * The cost preview ({@code POST /admin/v1/cost/preview}): a provider's raw response body in,
 * the usage read from it and its price out, through exactly the code live billing uses
 * (the shared {@link dev.tollgate.platform.usage.extract.UsageExtractors} and
 * {@link dev.tollgate.billing.price.CatalogPriceBook#price}).
 */
package dev.tollgate.billing.preview;
