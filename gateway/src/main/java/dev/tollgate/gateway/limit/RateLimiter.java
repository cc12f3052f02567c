package dev.tollgate.gateway.limit;

import reactor.core.publisher.Mono;

import java.util.List;

/**
 * Admits requests against their limits and settles them when they end. Every admitted request
 * must be settled exactly once, whatever its outcome, so that concurrency slots and reserved
 * tokens and money are given back.
 */
public interface RateLimiter {

    /** Checks and, if all pass, reserves. Never errors for a limit: a refused admission says why. */
    Mono<Admission> admit(String requestId, List<Check> checks);

    /**
     * Gives back what was reserved and records what was used.
     *
     * @param tokensUsed    tokens the request really used
     * @param nanoUsdBilled money it really cost, in nano-USD (0 when unpriced)
     */
    void settle(Admission admission, long tokensUsed, long nanoUsdBilled);
}
