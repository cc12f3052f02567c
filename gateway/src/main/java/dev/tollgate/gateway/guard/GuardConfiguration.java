package dev.tollgate.gateway.guard;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Guardrail settings, {@code tollgate.guard.*}.
 *
 * @param settingsCacheTtl how long a replica caches a project's settings (default 10 s)
 * @param logQueue         request-log rows waiting to be written beyond which new ones are dropped (default 10000)
 * @param logMaxChars      longest prompt or answer text kept in a request-log row (default 32768)
 */
@ConfigurationProperties("tollgate.guard")
public record GuardConfiguration(@Bindable(defaultValue = "10s") Duration settingsCacheTtl,
                                 @Bindable(defaultValue = "10000") int logQueue,
                                 @Bindable(defaultValue = "32768") int logMaxChars) {
}
