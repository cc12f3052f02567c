/**
 * Prices: the pinned genai-prices table imported into versioned tables at start-up
 * ({@link dev.tollgate.billing.price.PriceImporter}), held as an in-memory
 * {@link dev.tollgate.billing.price.PriceCatalog} with the operators' overrides, and the
 * {@link dev.tollgate.platform.price.PriceBook} the gateway and the billing worker price every
 * usage event with ({@link dev.tollgate.billing.price.CatalogPriceBook}). The cost arithmetic
 * itself is {@link dev.tollgate.billing.price.PriceCalculator}: exact decimals, each token
 * counted once at its most specific priced unit, tiers chosen by the request's input tokens.
 */
package dev.tollgate.billing.price;
