package dev.tollgate.gateway.route;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.time.Instant;

/**
 * One alias as {@code /admin/v1/models} shows it: callers name {@code alias}, the target
 * {@code provider} receives {@code model}.
 *
 * @param source    {@code store} (managed through the admin API) or {@code config} (a target's
 *                  {@code aliases} in the configuration file)
 * @param updatedAt when a stored mapping last changed; null for configured ones
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record ModelMapping(String alias, String provider, String model, String source, @Nullable Instant updatedAt) {

    public static final String STORE = "store";
    public static final String CONFIG = "config";

    /** The page {@code GET /admin/v1/models} answers. */
    @Serdeable
    public record Page(java.util.List<ModelMapping> data) {
    }
}
