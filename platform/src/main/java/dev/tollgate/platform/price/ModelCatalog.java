package dev.tollgate.platform.price;

import dev.tollgate.platform.usage.extract.MatchRule;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which models each provider of the pinned price table ({@link PriceFile}, the file billing imports
 * its prices from) lists, read-only: enough for the gateway to route every
 * priced model of a configured provider without depending on billing. Model names are matched by
 * each model's {@code match} rule, so dated versions ({@code gpt-4o-2024-08-06}) count as listed.
 */
@Singleton
public class ModelCatalog {

    private record Provider(String id, @Nullable MatchRule providerMatch, @Nullable MatchRule modelMatch,
                            List<MatchRule> models) {
    }

    private final List<Provider> providers;

    public ModelCatalog() {
        List<Provider> list = new ArrayList<>();
        for (JsonNode p : PriceFile.bundled().root().values()) {
            List<MatchRule> models = new ArrayList<>();
            for (JsonNode m : p.get("models").values()) {
                models.add(MatchRule.parse(m.get("match")));
            }
            list.add(new Provider(p.get("id").getStringValue(), rule(p.get("provider_match")), rule(p.get("model_match")),
                    List.copyOf(models)));
        }
        this.providers = List.copyOf(list);
    }

    private static MatchRule rule(@Nullable JsonNode node) {
        return node == null ? null : MatchRule.parse(node);
    }

    /** The table's id for a provider name: the id itself, else the provider whose {@code provider_match} takes the name ({@code gemini} → {@code google}). */
    public Optional<String> providerId(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Provider p : providers) {
            if (p.id().equals(n)) {
                return Optional.of(p.id());
            }
        }
        for (Provider p : providers) {
            if (p.providerMatch() != null && p.providerMatch().matches(n)) {
                return Optional.of(p.id());
            }
        }
        return Optional.empty();
    }

    /** Whether provider {@code providerId}'s price list has {@code model}. */
    public boolean lists(String providerId, String model) {
        return provider(providerId).map(p -> p.models().stream().anyMatch(m -> m.matches(model))).orElse(false);
    }

    /**
     * Whether {@code model} is the provider's own by the table's {@code model_match} (Claude is
     * Anthropic's even though Google's table lists it too, for Vertex).
     */
    public boolean isHomeOf(String providerId, String model) {
        return provider(providerId).map(p -> p.modelMatch() != null && p.modelMatch().matches(model)).orElse(false);
    }

    private Optional<Provider> provider(String id) {
        return providers.stream().filter(p -> p.id().equals(id)).findFirst();
    }
}
