package dev.tollgate.platform.usage.extract;

import dev.tollgate.platform.price.PriceFile;
import dev.tollgate.platform.usage.TokenUsage;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The usage extractors of every provider in the pinned genai-prices table, read from the
 * price file itself ({@link PriceFile}).
 * <p>
 * A provider is found by its table id ({@code openai}, {@code anthropic}, {@code google} …) or
 * by the table's {@code provider_match} ({@code gemini} and {@code vertex} find {@code google}).
 * Without an API flavour the {@code default} extractor is used, or, for providers without one
 * (OpenAI has {@code chat}, {@code responses} …), the first whose required fields the body has.
 */
@Singleton
public class UsageExtractors {

    private record ProviderEntry(String id, @Nullable MatchRule providerMatch, List<UsageExtractor> extractors) {
    }

    private static final class Holder {
        private static final UsageExtractors BUNDLED = new UsageExtractors();
    }

    private final List<ProviderEntry> providers;

    /**
     * The table's extractors for code built outside the bean context (the gateway's wire codecs);
     * read from the same parsed file as the bean.
     */
    public static UsageExtractors bundled() {
        return Holder.BUNDLED;
    }

    public UsageExtractors() {
        List<ProviderEntry> list = new ArrayList<>();
        for (JsonNode p : PriceFile.bundled().root().values()) {
            String id = p.get("id").getStringValue();
            List<UsageExtractor> ex = new ArrayList<>();
            if (p.get("extractors") != null) {
                for (JsonNode e : p.get("extractors").values()) {
                    ex.add(UsageExtractor.parse(id, e));
                }
            }
            list.add(new ProviderEntry(id, p.get("provider_match") == null ? null : MatchRule.parse(p.get("provider_match")),
                    List.copyOf(ex)));
        }
        this.providers = List.copyOf(list);
    }

    /** The table's id for a provider name ({@code gemini} → {@code google}), if known. */
    public Optional<String> resolveProvider(String provider) {
        return entry(provider).map(ProviderEntry::id);
    }

    /** The API flavours a provider has extractors for. */
    public List<String> flavors(String provider) {
        return entry(provider).map(e -> e.extractors().stream().map(UsageExtractor::apiFlavor).toList()).orElse(List.of());
    }

    /**
     * Reads the usage of a provider's response body.
     *
     * @throws UsageExtractionException for an unknown provider or flavour, or a body the extractor cannot read
     */
    public ExtractedUsage extract(String provider, @Nullable String apiFlavor, JsonNode body) {
        return extractor(provider, apiFlavor, body).extract(body);
    }

    /**
     * The provider-neutral counts of a usage object on its own (what sits at the extractor's
     * root), read leniently as {@link UsageExtractor#extractUsageObject} does: null or empty
     * gives zeros. For the gateway's wire codecs, which see usage objects in responses and
     * stream events.
     *
     * @throws UsageExtractionException for an unknown provider or flavour
     */
    public TokenUsage tokenUsage(String provider, String apiFlavor, @Nullable JsonNode usage) {
        return extractor(provider, apiFlavor, usage).extractUsageObject(usage).toTokenUsage();
    }

    private UsageExtractor extractor(String provider, @Nullable String apiFlavor, JsonNode body) {
        ProviderEntry entry = entry(provider)
                .orElseThrow(() -> new UsageExtractionException("no usage extractor for provider '" + provider + "'"));
        if (entry.extractors().isEmpty()) {
            throw new UsageExtractionException("the price table has no usage extractor for provider '" + entry.id() + "'");
        }
        if (apiFlavor != null && !apiFlavor.isBlank()) {
            for (UsageExtractor e : entry.extractors()) {
                if (e.apiFlavor().equals(apiFlavor)) {
                    return e;
                }
            }
            throw new UsageExtractionException("unknown api_flavor '" + apiFlavor + "' for " + entry.id()
                    + "; known: " + String.join(", ", flavors(entry.id())));
        }
        for (UsageExtractor e : entry.extractors()) {
            if (e.apiFlavor().equals("default")) {
                return e;
            }
        }
        for (UsageExtractor e : entry.extractors()) {
            if (e.fits(body)) {
                return e;
            }
        }
        throw new UsageExtractionException("the body fits none of " + entry.id() + "'s usage shapes ("
                + String.join(", ", flavors(entry.id())) + "); give api_flavor for a precise error");
    }

    private Optional<ProviderEntry> entry(String provider) {
        if (provider == null) {
            return Optional.empty();
        }
        String id = provider.trim().toLowerCase(Locale.ROOT);
        for (ProviderEntry p : providers) {
            if (p.id().equals(id)) {
                return Optional.of(p);
            }
        }
        for (ProviderEntry p : providers) {
            if (p.providerMatch() != null && p.providerMatch().matches(id)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Every provider of the table (id → its extractors' flavours, in table order). */
    public Map<String, List<String>> allFlavors() {
        Map<String, List<String>> m = new java.util.LinkedHashMap<>();
        providers.forEach(p -> m.put(p.id(), p.extractors().stream().map(UsageExtractor::apiFlavor).toList()));
        return m;
    }
}
