/**
 * The billing worker's usage side: pricing events the gateway stored without a price
 * ({@link dev.tollgate.billing.rollup.Repricer}), rolling every event exactly once into hourly
 * and daily rollups per tenant, project, key, model and provider
 * ({@link dev.tollgate.billing.rollup.UsageRollupWorker}), and the tenant's usage queries read
 * from those rollups ({@link dev.tollgate.billing.rollup.UsageController}).
 */
package dev.tollgate.billing.rollup;
