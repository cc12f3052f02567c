package dev.tollgate.gateway.provider;

import dev.tollgate.platform.price.ModelCatalog;
import dev.tollgate.platform.tenant.KeyScopes;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A provider target with its configuration resolved: type, defaults applied, aliases parsed.
 * Credentials are not here: they change at runtime (see {@link ProviderCredentials}).
 *
 * @param priceProvider the price table's provider id whose models the target serves by default, or null
 */
public record ProviderTarget(String name,
                             ProviderType type,
                             String baseUrl,
                             @Nullable String configuredApiKey,
                             @Nullable String apiVersion,
                             List<String> models,
                             List<String> modelPatterns,
                             Map<String, String> aliases,
                             @Nullable String priceProvider,
                             Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(300);

    /** The setting that turns serving the price table's models off. */
    public static final String NO_PRICE_PROVIDER = "none";

    public static ProviderTarget of(ProviderConfiguration c, ModelCatalog catalog) {
        ProviderType type = c.type() != null && !c.type().isBlank() ? ProviderType.parse(c.type()) : defaultType(c.name());
        boolean canonical = type.wireName().equals(c.name().toLowerCase(Locale.ROOT));
        String baseUrl = c.baseUrl() != null && !c.baseUrl().isBlank() ? c.baseUrl() : type.defaultBaseUrl();
        if (baseUrl == null) {
            throw new IllegalStateException("tollgate.providers." + c.name() + ".base-url is required for type " + type.wireName());
        }
        Map<String, String> aliases = new LinkedHashMap<>();
        for (String entry : c.aliases() == null ? List.<String>of() : c.aliases()) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalStateException("tollgate.providers." + c.name() + ".aliases: '" + entry + "' is not alias=model");
            }
            aliases.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
        }
        List<String> models = c.models() != null ? c.models() : canonical ? type.defaultModels() : List.of();
        List<String> patterns = c.modelPatterns() != null ? c.modelPatterns() : List.of();
        return new ProviderTarget(c.name(), type, stripSlash(baseUrl), c.apiKey(), c.apiVersion(),
                List.copyOf(models), List.copyOf(patterns), Map.copyOf(aliases), priceProvider(c, type, catalog),
                c.timeout() != null ? c.timeout() : DEFAULT_TIMEOUT);
    }

    private static String priceProvider(ProviderConfiguration c, ProviderType type, ModelCatalog catalog) {
        String configured = c.priceProvider();
        if (configured == null || configured.isBlank()) {
            return type == ProviderType.AZURE ? null : catalog.providerId(c.name()).orElse(null);
        }
        if (configured.trim().equalsIgnoreCase(NO_PRICE_PROVIDER)) {
            return null;
        }
        return catalog.providerId(configured).orElseThrow(() -> new IllegalStateException("tollgate.providers." + c.name()
                + ".price-provider: the price table has no provider '" + configured + "'"));
    }

    private static ProviderType defaultType(String name) {
        try {
            return ProviderType.parse(name);
        } catch (IllegalStateException e) {
            return ProviderType.OPENAI;
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Whether this target serves {@code model} by listing or pattern (aliases and the price table aside). */
    public boolean serves(String model) {
        if (models.contains(model)) {
            return true;
        }
        KeyScopes patterns = new KeyScopes(modelPatterns, null);
        return !modelPatterns.isEmpty() && patterns.allowsModel(model);
    }

    @Override
    public String toString() {
        return "ProviderTarget[" + name + ", " + type.wireName() + ", " + baseUrl + "]";
    }
}
