package dev.tollgate.platform.time;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * The {@link Clock} that calendar decisions (quota days and months, budget periods) read the
 * current instant from: the system's UTC clock. Tests replace the bean to stand at a chosen
 * instant, a tenant's midnight say.
 */
@Factory
public class ClockFactory {

    @Singleton
    public Clock clock() {
        return Clock.systemUTC();
    }
}
