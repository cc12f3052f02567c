package dev.tollgate.gateway.cache;

import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;

/** Deletes expired semantic cache rows every ten minutes (buckets in memory skip them already). */
@Singleton
@Requires(property = "tollgate.gateway.enabled", notEquals = "false")
class SemanticCachePurge {

    private final SemanticCache cache;

    SemanticCachePurge(SemanticCache cache) {
        this.cache = cache;
    }

    @Scheduled(fixedDelay = "10m", initialDelay = "1m")
    void purge() {
        cache.purgeExpired();
    }
}
