package dev.tollgate.gateway.provider.azure;

import dev.tollgate.gateway.provider.ProviderSupport;
import dev.tollgate.gateway.provider.ProviderTarget;
import dev.tollgate.gateway.provider.UpstreamHttp;
import dev.tollgate.gateway.provider.openai.OpenAiProvider;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Azure OpenAI deployments; the upstream model name is the deployment name. */
public class AzureOpenAiProvider extends OpenAiProvider {

    /** The GA api-version used when the target sets none. */
    public static final String DEFAULT_API_VERSION = "2024-10-21";

    public AzureOpenAiProvider(ProviderTarget target, UpstreamHttp http, ProviderSupport support) {
        super(target, http, support);
    }

    @Override
    protected URI chatUri(String deployment) {
        return deploymentUri(deployment, "chat/completions");
    }

    @Override
    protected URI embeddingsUri(String deployment) {
        return deploymentUri(deployment, "embeddings");
    }

    @Override
    protected Map<String, String> headers() {
        return Map.of("api-key", support.apiKey());
    }

    private URI deploymentUri(String deployment, String operation) {
        String version = target.apiVersion() == null ? DEFAULT_API_VERSION : target.apiVersion();
        return URI.create(support.baseUrl() + "/deployments/" + URLEncoder.encode(deployment, StandardCharsets.UTF_8)
                + "/" + operation + "?api-version=" + URLEncoder.encode(version, StandardCharsets.UTF_8));
    }
}
