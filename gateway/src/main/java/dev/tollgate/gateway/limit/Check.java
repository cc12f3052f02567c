package dev.tollgate.gateway.limit;

import io.micronaut.core.annotation.Nullable;

/**
 * One limit applied to one request.
 *
 * @param kind   {@code rpm}, {@code tpm}, {@code ctr} (tokens per day/month), {@code conc} or {@code usd}
 * @param what   human name for messages, e.g. {@code requests per minute}
 * @param level  {@code key}, {@code project} or {@code tenant}
 * @param limit  the limit (nano-USD for {@code usd})
 * @param amount what this request reserves (1, tokens, or nano-USD)
 * @param param  window, lease or time to the end of the period, in ms
 * @param key    the Redis key (the local limiter's map key)
 * @param key2   the second Redis key ({@code usd}: money in flight), else a sibling of {@code key}
 * @param spend  {@code usd}: whose spend of which period the counter holds (to seed it from the
 *               database when Redis has lost it); null for the other kinds
 */
public record Check(String kind, String what, String level, long limit, long amount, long param, String key, String key2,
                    @Nullable SpendScope spend) {

    /** The same check with another amount (what settling adds or gives back). */
    Check withAmount(long newAmount) {
        return new Check(kind, what, level, limit, newAmount, param, key, key2, spend);
    }
}
