package dev.tollgate.gateway.route;

import dev.tollgate.gateway.provider.ModelProvider;

/**
 * Where one request goes.
 *
 * @param requestedModel the model as the caller named it
 * @param upstreamModel  the model name the provider receives (an alias resolved; Azure: the deployment)
 */
public record Route(ModelProvider provider, String requestedModel, String upstreamModel) {

    public String providerName() {
        return provider.target().name();
    }
}
