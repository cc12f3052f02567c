package dev.tollgate.billing.price;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One imported version of the price table, in memory and immutable: what
 * {@link CatalogPriceBook} looks prices up in on every call.
 *
 * @param sourceId  the {@code price_source} row
 * @param sourceRef how price references name this version, e.g. {@code genai-prices@47df840}
 */
public record PriceCatalog(long sourceId, String sourceRef, List<CatalogProvider> providers) {

    /** The provider and model a usage is priced with. */
    public record Match(CatalogProvider provider, CatalogModel model) {
        public String ref(String sourceRef, Instant at) {
            return sourceRef + ":" + model.providerId() + "/" + model.id() + model.periodAt(at).label();
        }
    }

    /**
     * The table's provider for a provider name: by id, then by {@code provider_match}, then (for
     * names the table does not know, or none) by the model name's {@code model_match}.
     */
    public Optional<CatalogProvider> provider(@Nullable String providerName, @Nullable String modelRef) {
        if (providerName != null && !providerName.isBlank()) {
            String id = providerName.trim().toLowerCase(Locale.ROOT);
            for (CatalogProvider p : providers) {
                if (p.id().equals(id)) {
                    return Optional.of(p);
                }
            }
            for (CatalogProvider p : providers) {
                if (p.providerMatch() != null && p.providerMatch().matches(id)) {
                    return Optional.of(p);
                }
            }
        }
        if (modelRef != null) {
            for (CatalogProvider p : providers) {
                if (p.modelMatch() != null && p.modelMatch().matches(modelRef)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** The table's provider whose {@code api_pattern} matches an API base URL. */
    public Optional<CatalogProvider> providerForUrl(String apiUrl) {
        for (CatalogProvider p : providers) {
            if (p.apiPattern() != null && p.apiPattern().matcher(apiUrl).lookingAt()) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The model priced for {@code modelRef} at {@code providerName}, looking one step into fallback providers. */
    public Optional<Match> find(@Nullable String providerName, String modelRef) {
        Optional<CatalogProvider> provider = provider(providerName, modelRef);
        if (provider.isEmpty()) {
            return Optional.empty();
        }
        CatalogProvider p = provider.get();
        Optional<CatalogModel> m = p.findModel(modelRef);
        if (m.isPresent()) {
            return Optional.of(new Match(p, m.get()));
        }
        for (String fallback : p.fallbackProviders()) {
            Optional<CatalogProvider> fp = providers.stream().filter(x -> x.id().equals(fallback)).findFirst();
            Optional<CatalogModel> fm = fp.flatMap(x -> x.findModel(modelRef));
            if (fm.isPresent()) {
                return Optional.of(new Match(fp.get(), fm.get()));
            }
        }
        return Optional.empty();
    }

    public int modelCount() {
        return providers.stream().mapToInt(p -> p.models().size()).sum();
    }

    /** Providers by id (for listings). */
    public Map<String, CatalogProvider> byId() {
        Map<String, CatalogProvider> m = new LinkedHashMap<>();
        providers.forEach(p -> m.put(p.id(), p));
        return m;
    }
}
