package dev.tollgate.gateway.route;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static dev.tollgate.gateway.route.CircuitBreaker.Permit.CALL;
import static dev.tollgate.gateway.route.CircuitBreaker.Permit.PROBE;
import static dev.tollgate.gateway.route.CircuitBreaker.Permit.REJECTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CircuitBreakerTest {

    final AtomicLong now = new AtomicLong();
    final CircuitBreaker breaker = new CircuitBreaker(3, 0.5, 10, Duration.ofSeconds(30), now::get);

    @Test
    void opensAfterConsecutiveFailuresProbesAndCloses() {
        assertFalse(breaker.failure(breaker.acquire()));
        assertFalse(breaker.failure(breaker.acquire()));
        breaker.success(breaker.acquire());
        assertFalse(breaker.failure(breaker.acquire()));
        assertFalse(breaker.failure(breaker.acquire()), "a success in between resets the streak");
        assertTrue(breaker.failure(breaker.acquire()), "third in a row opens");
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
        assertEquals(REJECTED, breaker.acquire());

        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.state());
        assertEquals(PROBE, breaker.acquire());
        assertEquals(REJECTED, breaker.acquire(), "one probe at a time");
        assertTrue(breaker.failure(PROBE), "a failed probe opens again");
        assertEquals(REJECTED, breaker.acquire());

        now.addAndGet(Duration.ofSeconds(30).toNanos());
        CircuitBreaker.Permit probe = breaker.acquire();
        assertEquals(PROBE, probe);
        breaker.abandon(probe);
        probe = breaker.acquire();
        assertEquals(PROBE, probe, "an abandoned probe lets the next caller probe");
        breaker.success(probe);
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
        assertEquals(CALL, breaker.acquire());
    }

    @Test
    void opensOnFailureRateOverTheWindow() {
        boolean opened = false;
        for (int i = 0; i < 10 && !opened; i++) {
            CircuitBreaker.Permit p = breaker.acquire();
            if (i % 2 == 0) {
                opened = breaker.failure(p);
            } else {
                breaker.success(p);
            }
        }
        assertFalse(opened, "the window is not full yet at the 9th call");
        // 10 calls, 5 failures: the next failure makes 5 of the last 10 (rate 0.5)
        CircuitBreaker.Permit p = breaker.acquire();
        assertTrue(breaker.failure(p));
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
    }
}
