package dev.tollgate.platform.simulator;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Everything a simulator delivered: running totals per provider and model for {@code /served},
 * and per-minute buckets (per provider, API and model) from which the providers' usage APIs answer.
 */
final class ServedLedger {

    private final Clock clock;
    private final Map<Key, Counters> totals = new ConcurrentHashMap<>();
    private final NavigableMap<Long, Map<Key, Counters>> minutes = new ConcurrentSkipListMap<>();

    ServedLedger(Clock clock) {
        this.clock = clock;
    }

    void record(Delivery delivery) {
        Key totalKey = new Key(delivery.provider(), "", delivery.model());
        totals.computeIfAbsent(totalKey, k -> new Counters()).add(delivery);
        if (delivery.carriesUsage()) {
            long minute = clock.millis() / 60_000;
            minutes.computeIfAbsent(minute, m -> new ConcurrentHashMap<>())
                .computeIfAbsent(new Key(delivery.provider(), delivery.api(), delivery.model()), k -> new Counters())
                .add(delivery);
        }
    }

    Served snapshot() {
        Map<String, Map<String, ServedStats>> providers = new HashMap<>();
        totals.forEach((key, counters) ->
            providers.computeIfAbsent(key.provider(), p -> new HashMap<>()).put(key.model(), counters.stats()));
        providers.replaceAll((provider, models) -> Map.copyOf(models));
        return new Served(providers);
    }

    void reset() {
        totals.clear();
        minutes.clear();
    }

    /**
     * Usage of one provider and API between two instants (epoch seconds, end exclusive),
     * per model. Only requests that delivered tokens are counted.
     */
    Map<String, UsageTotals> usage(String provider, String api, long fromEpochSecond, long toEpochSecond) {
        Map<String, UsageTotals> byModel = new HashMap<>();
        long fromMinute = Math.floorDiv(fromEpochSecond, 60);
        long toMinute = Math.floorDiv(toEpochSecond + 59, 60);
        minutes.subMap(fromMinute, true, toMinute, false).values().forEach(bucket -> bucket.forEach((key, counters) -> {
            if (key.provider().equals(provider) && key.api().equals(api)) {
                byModel.merge(key.model(), counters.usage(), UsageTotals::plus);
            }
        }));
        return byModel;
    }

    private record Key(String provider, String api, String model) {
    }

    /** Token counts of usage-bearing requests, as the usage APIs report them. */
    record UsageTotals(long requests, long inputTokens, long cacheReadTokens, long cacheWrite5mTokens,
                       long cacheWrite1hTokens, long outputTokens) {

        static final UsageTotals ZERO = new UsageTotals(0, 0, 0, 0, 0, 0);

        UsageTotals plus(UsageTotals other) {
            return new UsageTotals(requests + other.requests, inputTokens + other.inputTokens,
                cacheReadTokens + other.cacheReadTokens, cacheWrite5mTokens + other.cacheWrite5mTokens,
                cacheWrite1hTokens + other.cacheWrite1hTokens, outputTokens + other.outputTokens);
        }

        long uncachedInputTokens() {
            return inputTokens - cacheReadTokens - cacheWrite5mTokens - cacheWrite1hTokens;
        }
    }

    private static final class Counters {
        private final LongAdder requests = new LongAdder();
        private final LongAdder streamed = new LongAdder();
        private final LongAdder errors = new LongAdder();
        private final LongAdder input = new LongAdder();
        private final LongAdder cacheRead = new LongAdder();
        private final LongAdder cacheWrite5m = new LongAdder();
        private final LongAdder cacheWrite1h = new LongAdder();
        private final LongAdder output = new LongAdder();
        private final LongAdder reasoning = new LongAdder();

        void add(Delivery d) {
            requests.increment();
            if (d.streamed()) {
                streamed.increment();
            }
            if (d.error()) {
                errors.increment();
            }
            input.add(d.inputTokens());
            cacheRead.add(d.cacheReadTokens());
            cacheWrite5m.add(d.cacheWrite5mTokens());
            cacheWrite1h.add(d.cacheWrite1hTokens());
            output.add(d.outputTokens());
            reasoning.add(d.reasoningTokens());
        }

        ServedStats stats() {
            return new ServedStats(requests.sum(), streamed.sum(), errors.sum(), input.sum(), output.sum(),
                cacheRead.sum(), cacheWrite5m.sum() + cacheWrite1h.sum(), reasoning.sum());
        }

        UsageTotals usage() {
            return new UsageTotals(requests.sum(), input.sum(), cacheRead.sum(), cacheWrite5m.sum(),
                cacheWrite1h.sum(), output.sum());
        }
    }
}
