package dev.tollgate.gateway.provider;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fails a stream that stays silent for longer than a limit, before its first element or between
 * two, with a {@link TimeoutException}. Reactor's {@code Flux.timeout(Duration)} does the same by
 * scheduling a timer for every element and cancelling the one before — for a relayed answer of a
 * few dozen events, dozens of timers per request on the shared scheduler's locked queues. Here a
 * stream has one timer at a time, set for when it would expire if nothing arrived, and re-armed for
 * the remainder when something did: usually one timer per stream.
 */
final class IdleTimeout {

    private IdleTimeout() {
    }

    static <T> Flux<T> apply(Flux<T> source, Duration limit) {
        long limitNanos = limit.toNanos();
        return Flux.defer(() -> {
            AtomicLong last = new AtomicLong(System.nanoTime());
            Sinks.One<Boolean> ended = Sinks.one();
            Flux<T> watched = source.doOnNext(item -> last.lazySet(System.nanoTime()))
                    .doFinally(signal -> ended.tryEmitValue(true));
            return Flux.merge(watched, IdleTimeout.<T>expiry(last, limitNanos, limit).takeUntilOther(ended.asMono()));
        });
    }

    private static <T> Mono<T> expiry(AtomicLong last, long limitNanos, Duration limit) {
        return Mono.defer(() -> {
            long idle = System.nanoTime() - last.get();
            return idle >= limitNanos
                    ? Mono.error(new TimeoutException("nothing arrived within " + limit.toMillis() + " ms"))
                    : Mono.delay(Duration.ofNanos(limitNanos - idle)).then(expiry(last, limitNanos, limit));
        });
    }
}
