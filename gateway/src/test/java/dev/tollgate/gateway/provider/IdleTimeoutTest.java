package dev.tollgate.gateway.provider;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A stream fails only when it stays silent for longer than the limit, however long it runs in all. */
class IdleTimeoutTest {

    private static final Duration LIMIT = Duration.ofMillis(300);

    @Test
    void aSlowButSteadyStreamRunsPastTheLimitInAll() {
        long started = System.nanoTime();
        List<Long> items = IdleTimeout.apply(Flux.interval(Duration.ofMillis(100)).take(8), LIMIT)
                .collectList().block(Duration.ofSeconds(5));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L), items);
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(LIMIT.multipliedBy(2)) > 0, "ran well past the limit");
    }

    @Test
    void aStreamThatStallsAfterItsFirstItemFailsAndIsCancelled() {
        AtomicBoolean cancelled = new AtomicBoolean();
        Flux<Long> stalls = Flux.concat(Flux.just(1L), Flux.<Long>never()).doOnCancel(() -> cancelled.set(true));
        long started = System.nanoTime();
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> IdleTimeout.apply(stalls, LIMIT).collectList().block(Duration.ofSeconds(5)));
        long waited = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertInstanceOf(TimeoutException.class, e.getCause(), e.toString());
        assertTrue(waited >= LIMIT.toMillis() && waited < 3_000, "failed after " + waited + " ms");
        assertTrue(cancelled.get(), "the silent upstream is cancelled (its connection closed)");
    }

    @Test
    void aStreamThatNeverStartsFails() {
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> IdleTimeout.apply(Flux.<Long>never(), LIMIT).blockLast(Duration.ofSeconds(5)));
        assertInstanceOf(TimeoutException.class, e.getCause(), e.toString());
    }

    @Test
    void errorsAndEmptyStreamsPassThroughAtOnce() {
        long started = System.nanoTime();
        assertEquals(List.of(), IdleTimeout.apply(Flux.<Long>empty(), LIMIT).collectList().block(Duration.ofSeconds(5)));
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> IdleTimeout.apply(Flux.<Long>error(boom), LIMIT).blockLast(Duration.ofSeconds(5)));
        assertEquals(boom, thrown);
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(LIMIT) < 0, "did not wait for the timer");
    }
}
