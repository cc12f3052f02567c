package dev.tollgate.billing.reconcile;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;

/**
 * The part of a provider target ({@code tollgate.providers.<name>.*}, the gateway's settings)
 * that reconciliation needs to read the provider's organization usage API.
 *
 * @param name        the target name, as stored in {@code usage_event.provider}
 * @param type        {@code openai} or {@code anthropic} (default: the name); other types have no usage API here
 * @param baseUrl     e.g. {@code https://api.openai.com/v1}, {@code https://api.anthropic.com/v1}
 * @param apiKey      the provider key
 * @param usageApiKey an admin key for the usage API when the provider requires one (default: {@code api-key})
 */
@EachProperty("tollgate.providers")
public record ProviderUsageApi(@Parameter String name,
                               @Nullable String type,
                               @Nullable String baseUrl,
                               @Nullable String apiKey,
                               @Nullable String usageApiKey) {

    /** {@code openai}, {@code anthropic} or another type without a usage API. */
    public String effectiveType() {
        return type == null || type.isBlank() ? name : type;
    }

    /** True when the usage API can be asked: a supported type with a base URL and a key. */
    public boolean usable() {
        return (effectiveType().equals("openai") || effectiveType().equals("anthropic"))
                && baseUrl != null && !baseUrl.isBlank() && key() != null;
    }

    @Nullable
    String key() {
        return usageApiKey != null && !usageApiKey.isBlank() ? usageApiKey : apiKey != null && !apiKey.isBlank() ? apiKey : null;
    }

    @Override
    public String toString() {
        return "ProviderUsageApi[" + name + ", type=" + effectiveType() + ", baseUrl=" + baseUrl + "]";
    }
}
