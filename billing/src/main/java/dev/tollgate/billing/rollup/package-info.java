/**
 * The billing worker's usage side: pricing events the gateway stored without a price
 * ({@link dev.tollgate.billing.rollup.Repricer}), rolling every event exactly once into hourly
 * and daily rollups per tenant, project, key, model and provider
 * ({@link dev.tollgate.billing.rollup.UsageRollupWorker}), the tenant's usage queries read
 * from those rollups ({@link dev.tollgate.billing.rollup.UsageController}), and
 * {@link dev.tollgate.billing.rollup.UsageRange}, the one way to read a range of usage exactly in
 * the tenant's time zone (rollups for whole UTC hours, events for the hours a boundary cuts).
 */
package dev.tollgate.billing.rollup;
