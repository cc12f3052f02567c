package dev.tollgate.platform.testing;

import io.micronaut.test.support.TestPropertyProvider;

import java.util.Map;

/**
 * Implemented by a {@code @MicronautTest} class (with {@code @TestInstance(PER_CLASS)}) to run
 * against real PostgreSQL and Redis in an environment of its own: a fresh database with all
 * migrations applied and a fresh Redis key prefix. Override {@link #extraProperties()} to add
 * properties.
 */
public interface RealServices extends TestPropertyProvider {

    @Override
    default Map<String, String> getProperties() {
        Map<String, String> props = new java.util.HashMap<>(TestServices.isolatedEnvironment(getClass().getSimpleName()));
        props.putAll(extraProperties());
        return props;
    }

    default Map<String, String> extraProperties() {
        return Map.of();
    }
}
