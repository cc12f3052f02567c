package dev.tollgate.gateway.route;

import dev.tollgate.gateway.provider.ModelProvider;
import dev.tollgate.gateway.provider.ProviderTarget;
import dev.tollgate.platform.http.ApiException;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves a requested model to a provider target, in this order: {@code <target>/<model>}
 * naming a configured target explicitly; an alias of some target; a model some target lists;
 * the first target (by name) whose model patterns match. Anything else is a 404
 * {@code model_not_found}.
 */
@Singleton
public class ModelRouter {

    /** A model as {@code /v1/models} lists it. */
    public record ListedModel(String id, String ownedBy) {
    }

    private final List<ModelProvider> providers;
    private final Map<String, ModelProvider> byName = new LinkedHashMap<>();

    public ModelRouter(List<ModelProvider> providers) {
        List<ModelProvider> sorted = new ArrayList<>(providers);
        sorted.sort(Comparator.comparing(p -> p.target().name()));
        this.providers = List.copyOf(sorted);
        sorted.forEach(p -> byName.put(p.target().name(), p));
    }

    /** The route for a model, or empty when no target serves it. */
    public Optional<Route> find(String model) {
        int slash = model.indexOf('/');
        if (slash > 0 && byName.containsKey(model.substring(0, slash))) {
            ModelProvider p = byName.get(model.substring(0, slash));
            String rest = model.substring(slash + 1);
            return Optional.of(new Route(p, model, p.target().aliases().getOrDefault(rest, rest)));
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
        return Optional.empty();
    }

    /** The route for a model; 404 in OpenAI's shape when none. */
    public Route resolve(String model) {
        return find(model).orElseThrow(() -> ApiException.notFound(
                "The model '" + model + "' does not exist or is not served by this gateway", "model_not_found"));
    }

    /** Every model the targets list, aliases included, in target order. */
    public List<ListedModel> catalog() {
        List<ListedModel> out = new ArrayList<>();
        for (ModelProvider p : providers) {
            ProviderTarget t = p.target();
            t.models().forEach(m -> out.add(new ListedModel(m, t.name())));
            t.aliases().keySet().stream().sorted().forEach(a -> out.add(new ListedModel(a, t.name())));
        }
        return out;
    }
}
