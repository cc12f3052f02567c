package dev.tollgate.gateway.route;

import dev.tollgate.gateway.provider.ModelProvider;
import dev.tollgate.gateway.provider.ProviderTarget;
import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.price.ModelCatalog;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Resolves a requested model to a provider target, in this order: {@code <target>/<model>}
 * naming a configured target explicitly; a stored mapping ({@link ModelMappings}, managed through
 * {@code /admin/v1/models}); an alias of some target's configuration; a model some target lists;
 * the first target (by name) whose model patterns match; a target whose provider's price list
 * has the model (the provider whose own models they are first: Claude goes to Anthropic, not to
 * Google, whose table lists it for Vertex). Anything else is a 404 {@code model_not_found}.
 */
@Singleton
public class ModelRouter {

    /** A model as {@code /v1/models} lists it. */
    public record ListedModel(String id, String ownedBy) {
    }

    private final List<ModelProvider> providers;
    private final Map<String, ModelProvider> byName = new LinkedHashMap<>();
    private final ModelMappings mappings;
    private final ModelCatalog prices;

    public ModelRouter(List<ModelProvider> providers, ModelMappings mappings, ModelCatalog prices) {
        List<ModelProvider> sorted = new ArrayList<>(providers);
        sorted.sort(Comparator.comparing(p -> p.target().name()));
        this.providers = List.copyOf(sorted);
        sorted.forEach(p -> byName.put(p.target().name(), p));
        this.mappings = mappings;
        this.prices = prices;
    }

    /** The names of the configured provider targets. */
    public Set<String> targetNames() {
        return byName.keySet();
    }

    /** The route for a model, or empty when no target serves it. */
    public Optional<Route> find(String model) {
        int slash = model.indexOf('/');
        if (slash > 0 && byName.containsKey(model.substring(0, slash))) {
            ModelProvider p = byName.get(model.substring(0, slash));
            String rest = model.substring(slash + 1);
            return Optional.of(new Route(p, model, p.target().aliases().getOrDefault(rest, rest)));
        }
        Optional<ModelMapping> stored = mappings.find(model).filter(m -> byName.containsKey(m.provider()));
        if (stored.isPresent()) {
            return Optional.of(new Route(byName.get(stored.get().provider()), model, stored.get().model()));
        }
        for (ModelProvider p : providers) {
            String aliased = p.target().aliases().get(model);
            if (aliased != null) {
                return Optional.of(new Route(p, model, aliased));
            }
        }
        for (ModelProvider p : providers) {
            if (p.target().models().contains(model)) {
                return Optional.of(new Route(p, model, model));
            }
        }
        for (ModelProvider p : providers) {
            if (p.target().serves(model)) {
                return Optional.of(new Route(p, model, model));
            }
        }
        return priced(model).map(p -> new Route(p, model, model));
    }

    private Optional<ModelProvider> priced(String model) {
        ModelProvider first = null;
        for (ModelProvider p : providers) {
            String priceProvider = p.target().priceProvider();
            if (priceProvider != null && prices.lists(priceProvider, model)) {
                if (prices.isHomeOf(priceProvider, model)) {
                    return Optional.of(p);
                }
                first = first == null ? p : first;
            }
        }
        return Optional.ofNullable(first);
    }

    /** The route for a model; 404 in OpenAI's shape when none. */
    public Route resolve(String model) {
        return find(model).orElseThrow(() -> ApiException.notFound(
                "The model '" + model + "' does not exist or is not served by this gateway", "model_not_found"));
    }

    /** Every model the targets list, their aliases and the stored mappings, in target order. */
    public List<ListedModel> catalog() {
        List<ListedModel> out = new ArrayList<>();
        for (ModelProvider p : providers) {
            ProviderTarget t = p.target();
            t.models().forEach(m -> out.add(new ListedModel(m, t.name())));
            t.aliases().keySet().stream().filter(a -> mappings.find(a).isEmpty()).sorted()
                    .forEach(a -> out.add(new ListedModel(a, t.name())));
        }
        mappings.all().stream().filter(m -> byName.containsKey(m.provider()))
                .forEach(m -> out.add(new ListedModel(m.alias(), m.provider())));
        return out;
    }

    /** The effective alias mappings: stored ones, and the configured aliases they do not replace. */
    public List<ModelMapping> mappings() {
        Map<String, ModelMapping> out = new TreeMap<>();
        for (ModelProvider p : providers) {
            p.target().aliases().forEach((alias, upstream) -> out.putIfAbsent(alias,
                    new ModelMapping(alias, p.target().name(), upstream, ModelMapping.CONFIG, null)));
        }
        mappings.all().forEach(m -> out.put(m.alias(), m));
        return List.copyOf(out.values());
    }
}
