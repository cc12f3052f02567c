package dev.tollgate.gateway.route;

import dev.tollgate.gateway.model.ProviderException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyTest {

    static ProviderException status(int status, Duration retryAfter) {
        return new ProviderException(ProviderException.kindOf(status), "openai", status, "x", retryAfter);
    }

    @Test
    void fullJitterGrowsExponentiallyUpToTheCap() {
        Random random = new Random(7);
        RetryPolicy p = new RetryPolicy(10, List.of(429, 500), Duration.ofMillis(100), Duration.ofMillis(1000), random::nextDouble);
        for (int retry = 1; retry <= 6; retry++) {
            long ceiling = Math.min(1000, 100L << (retry - 1));
            long max = 0;
            long min = Long.MAX_VALUE;
            for (int i = 0; i < 2000; i++) {
                long d = p.delay(retry, status(500, null)).orElseThrow().toMillis();
                assertTrue(d >= 0 && d <= ceiling, "retry " + retry + " waited " + d);
                max = Math.max(max, d);
                min = Math.min(min, d);
            }
            assertTrue(max > ceiling * 0.9 && min < ceiling * 0.1, "uniform over [0, " + ceiling + "]: " + min + ".." + max);
        }
    }

    @Test
    void attemptsStatusesAndRetryAfter() {
        RetryPolicy p = new RetryPolicy(2, List.of(429, 503), Duration.ofMillis(100), Duration.ofSeconds(2), () -> 0.0);
        assertTrue(p.delay(1, status(429, null)).isPresent());
        assertTrue(p.delay(2, status(503, null)).isPresent());
        assertEquals(Optional.empty(), p.delay(3, status(503, null)), "only two retries");
        assertEquals(Optional.empty(), p.delay(1, status(500, null)), "500 is not in the list");
        assertEquals(Optional.empty(), p.delay(1, status(400, null)));
        ProviderException timeout = new ProviderException(ProviderException.Kind.TIMEOUT, "openai", 0, "t", null);
        assertTrue(p.delay(1, timeout).isPresent(), "no HTTP answer is always retried");
        assertEquals(Duration.ofSeconds(1), p.delay(1, status(429, Duration.ofSeconds(1))).orElseThrow(), "Retry-After honoured");
        assertEquals(Optional.empty(), p.delay(1, status(429, Duration.ofSeconds(30))), "a Retry-After past the cap falls back instead");
        assertEquals(Optional.empty(), p.delay(1, new IllegalStateException()));
    }
}
