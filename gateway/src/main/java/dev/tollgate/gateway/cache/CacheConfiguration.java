package dev.tollgate.gateway.cache;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Response cache settings, {@code tollgate.cache.*}. Whether a request is cached, and for how
 * long, is the route's business ({@code "cache"} of a route config); these bound how.
 *
 * @param redisTimeout     longest wait for the exact cache; slower counts as a miss (default 50 ms)
 * @param maxEntryBytes    answers larger than this are not cached (default 1 MiB)
 * @param maxTtl           ceiling of any TTL, route or {@code x-tollgate-cache-ttl} (default 30 days)
 * @param semanticBudget   longest a request waits for its cache lookup (exact, then embedding and semantic
 *                         search); when it takes longer the request goes upstream as a miss, so a miss never
 *                         adds more (default 5 ms: the lookups that run into the budget make a miss's P99,
 *                         each waiting the whole budget before its upstream call; measured at 50 misses/s on
 *                         two shared cores, bench/RELIABILITY.md: an 8 ms budget gave +5 to +12 ms P99 with 1 %
 *                         of lookups late, 5 ms +4.8 ms with 1.7 % late)
 * @param semanticRefresh  how often a replica reads the rows other replicas added to a bucket (default 2 s)
 * @param semanticMaxEntries most answers kept per bucket in memory, newest first (default 10000)
 * @param semanticMemoryEntries most answer slots held in memory over all buckets of a replica (default 100000,
 *                         about 150 MiB of vectors); past it the buckets least worth keeping are dropped and read
 *                         again from PostgreSQL when next used
 * @param semanticThreads  threads computing embeddings (default 1)
 * @param semanticQueue    embeddings waiting for a thread beyond which requests skip the semantic cache (default 2:
 *                         a question queued behind more, at a few ms each, could not be answered within the
 *                         budget anyway, and skipping it spares the CPU)
 * @param semanticWarmup   load the embedding model at start-up rather than on first use (default false)
 */
@ConfigurationProperties("tollgate.cache")
public record CacheConfiguration(@Bindable(defaultValue = "50ms") Duration redisTimeout,
                                 @Bindable(defaultValue = "1048576") int maxEntryBytes,
                                 @Bindable(defaultValue = "30d") Duration maxTtl,
                                 @Bindable(defaultValue = "5ms") Duration semanticBudget,
                                 @Bindable(defaultValue = "2s") Duration semanticRefresh,
                                 @Bindable(defaultValue = "10000") int semanticMaxEntries,
                                 @Bindable(defaultValue = "100000") long semanticMemoryEntries,
                                 @Bindable(defaultValue = "1") int semanticThreads,
                                 @Bindable(defaultValue = "2") int semanticQueue,
                                 @Bindable(defaultValue = "false") boolean semanticWarmup) {
}
