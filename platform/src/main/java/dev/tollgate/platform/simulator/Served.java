package dev.tollgate.platform.simulator;

import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;

/**
 * A snapshot of what a simulator served: provider name to model name to counts.
 * Provider names are {@code openai}, {@code azure} (models are deployment names),
 * {@code anthropic} and {@code gemini}.
 */
@Serdeable
public record Served(Map<String, Map<String, ServedStats>> providers) {

    public Served {
        providers = Map.copyOf(providers);
    }

    /** Counts for one provider and model, zero when nothing was served. */
    public ServedStats stats(String provider, String model) {
        return providers.getOrDefault(provider, Map.of()).getOrDefault(model, ServedStats.ZERO);
    }

    /** Counts summed over the models of one provider. */
    public ServedStats total(String provider) {
        return providers.getOrDefault(provider, Map.of()).values().stream()
            .reduce(ServedStats.ZERO, ServedStats::plus);
    }
}
