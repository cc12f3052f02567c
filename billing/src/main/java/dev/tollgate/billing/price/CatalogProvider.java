package dev.tollgate.billing.price;

import dev.tollgate.platform.usage.extract.MatchRule;
import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A provider of the price table with its matching rules: {@code provider_match} on provider
 * names, {@code model_match} on model names (to find the provider of a bare model name),
 * {@code api_pattern} on API base URLs, and the providers whose models it also serves
 * ({@code fallback_model_providers}: Azure serves OpenAI's models, say).
 */
public record CatalogProvider(String id, String name, @Nullable Pattern apiPattern, @Nullable MatchRule modelMatch,
                              @Nullable MatchRule providerMatch, List<String> fallbackProviders, List<CatalogModel> models) {

    /** The first model whose rule matches {@code modelRef}, in the table's order. */
    public Optional<CatalogModel> findModel(String modelRef) {
        for (CatalogModel m : models) {
            if (m.match().matches(modelRef)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
