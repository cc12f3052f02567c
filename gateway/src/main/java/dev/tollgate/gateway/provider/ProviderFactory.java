package dev.tollgate.gateway.provider;

import dev.tollgate.gateway.GatewayConfiguration;
import dev.tollgate.gateway.provider.anthropic.AnthropicProvider;
import dev.tollgate.gateway.provider.azure.AzureOpenAiProvider;
import dev.tollgate.gateway.provider.gemini.GeminiProvider;
import dev.tollgate.gateway.provider.openai.OpenAiProvider;
import dev.tollgate.platform.price.ModelCatalog;
import io.micronaut.context.annotation.EachBean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;

/** One {@link ModelProvider} bean per {@code tollgate.providers.<name>} entry, of the entry's type. */
@Factory
public class ProviderFactory {

    @EachBean(ProviderConfiguration.class)
    public ModelProvider provider(ProviderConfiguration configuration, UpstreamHttp http, JsonMapper json,
                                  GatewayConfiguration gateway, ModelCatalog catalog,
                                  @Nullable ProviderCredentials credentials) {
        ProviderTarget target = ProviderTarget.of(configuration, catalog);
        ProviderSupport support = new ProviderSupport(target, credentials);
        return switch (target.type()) {
            case OPENAI -> new OpenAiProvider(target, http, support);
            case AZURE -> new AzureOpenAiProvider(target, http, support);
            case ANTHROPIC -> new AnthropicProvider(target, http, support, json, gateway.defaultMaxTokens());
            case GEMINI -> new GeminiProvider(target, http, support, json);
        };
    }
}
