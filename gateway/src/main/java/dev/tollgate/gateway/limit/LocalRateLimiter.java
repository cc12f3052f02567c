package dev.tollgate.gateway.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.inject.Singleton;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The per-replica stand-in while Redis is unreachable (fail-open mode): requests and tokens per
 * minute and concurrency, each counted on this replica only. Daily and monthly token quotas and
 * budgets need the shared counters and are not enforced meanwhile.
 */
@Singleton
public class LocalRateLimiter implements RateLimiter {

    private final Cache<String, Object> state = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(20)).build();

    private static final class Log {
        final ArrayDeque<Long> times = new ArrayDeque<>();
    }

    private static final class Bucket {
        double tokens = -1;
        long ts;
    }

    private static final class Slots {
        final Set<String> ids = new HashSet<>();
    }

    @Override
    public Mono<Admission> admit(String requestId, List<Check> checks) {
        return Mono.just(admitNow(requestId, checks));
    }

    synchronized Admission admitNow(String requestId, List<Check> checks) {
        long now = System.currentTimeMillis();
        long[] remaining = new long[checks.size()];
        long[] reset = new long[checks.size()];
        int failed = -1;
        long retry = 0;
        for (int i = 0; i < checks.size(); i++) {
            Check c = checks.get(i);
            long wait = 0;
            switch (c.kind()) {
                case "rpm" -> {
                    Log log = (Log) state.get(c.key(), k -> new Log());
                    while (!log.times.isEmpty() && log.times.peekFirst() <= now - c.param()) {
                        log.times.pollFirst();
                    }
                    reset[i] = log.times.isEmpty() ? 1 : log.times.peekFirst() + c.param() - now;
                    if (log.times.size() + 1 > c.limit()) {
                        wait = reset[i];
                    } else {
                        remaining[i] = c.limit() - log.times.size() - 1;
                    }
                }
                case "tpm" -> {
                    Bucket b = refill((Bucket) state.get(c.key(), k -> new Bucket()), c, now);
                    double need = Math.min(c.amount(), c.limit());
                    double rate = (double) c.limit() / c.param();
                    if (b.tokens < need) {
                        wait = (long) Math.ceil((need - b.tokens) / rate);
                    } else {
                        remaining[i] = (long) (b.tokens - need);
                    }
                    reset[i] = (long) Math.ceil((c.limit() - b.tokens + need) / rate);
                }
                case "conc" -> {
                    Slots s = (Slots) state.get(c.key(), k -> new Slots());
                    if (s.ids.size() + 1 > c.limit()) {
                        wait = 1000;
                    } else {
                        remaining[i] = c.limit() - s.ids.size() - 1;
                    }
                }
                default -> remaining[i] = Math.max(0, c.limit() - c.amount());
            }
            if (wait > 0 && failed < 0) {
                failed = i;
                retry = wait;
            }
        }
        if (failed < 0) {
            for (Check c : checks) {
                switch (c.kind()) {
                    case "rpm" -> ((Log) state.getIfPresent(c.key())).times.addLast(now);
                    case "tpm" -> ((Bucket) state.getIfPresent(c.key())).tokens -= Math.min(c.amount(), c.limit());
                    case "conc" -> ((Slots) state.getIfPresent(c.key())).ids.add(requestId);
                    default -> {
                    }
                }
            }
        }
        return new Admission(requestId, checks, remaining, reset, failed, retry, true);
    }

    private static Bucket refill(Bucket b, Check c, long now) {
        if (b.tokens < 0) {
            b.tokens = c.limit();
        } else {
            b.tokens = Math.min(c.limit(), b.tokens + (now - b.ts) * ((double) c.limit() / c.param()));
        }
        b.ts = now;
        return b;
    }

    @Override
    public synchronized void settle(Admission admission, long tokensUsed, long nanoUsdBilled) {
        long now = System.currentTimeMillis();
        for (Check c : admission.checks()) {
            Object s = state.getIfPresent(c.key());
            if (s instanceof Slots slots && c.kind().equals("conc")) {
                slots.ids.remove(admission.requestId());
            } else if (s instanceof Bucket b && c.kind().equals("tpm")) {
                refill(b, c, now).tokens -= tokensUsed - Math.min(c.amount(), c.limit());
            }
        }
    }
}
