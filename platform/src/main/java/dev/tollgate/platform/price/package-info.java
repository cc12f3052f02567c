/**
 * Prices as the modules share them: the {@link dev.tollgate.platform.price.PriceBook} contract
 * (billing implements it, the gateway stamps cost and reserves budget with it) and the
 * read-only {@link dev.tollgate.platform.price.ModelCatalog} of the pinned price file, which
 * lives here so that the gateway can read it without billing.
 */
package dev.tollgate.platform.price;
