/**
 * Limits and quotas per key, project and tenant: requests and tokens per minute, concurrent
 * requests, tokens per day and month, and the monthly USD budget with money in flight reserved.
 * {@link dev.tollgate.gateway.limit.RedisRateLimiter} checks and reserves all of them in one
 * atomic Lua script (every key of one request carries the tenant's hash tag, so it is
 * Redis-Cluster safe and correct across any number of replicas) and settles the real usage when
 * the response ends. Days and months are the tenant's (its time zone); a budget's spend counter
 * that Redis lost is seeded again from {@code usage_event}. When Redis is unreachable it fails open to
 * {@link dev.tollgate.gateway.limit.LocalRateLimiter} or closed with a 503, as configured.
 */
package dev.tollgate.gateway.limit;
