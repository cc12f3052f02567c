package dev.tollgate.platform.time;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock a test moves by hand; the system clock until it is set. Replaces the {@link ClockFactory}
 * clock when {@code test.settable-clock=true}.
 */
@Singleton
@Replaces(bean = Clock.class, factory = ClockFactory.class)
@Requires(property = "test.settable-clock", value = "true")
public class SettableClock extends Clock {

    private volatile Instant now;

    public void set(Instant instant) {
        now = instant;
    }

    public void reset() {
        now = null;
    }

    @Override
    public Instant instant() {
        Instant fixed = now;
        return fixed != null ? fixed : Instant.now();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a test clock stays in UTC");
    }
}
