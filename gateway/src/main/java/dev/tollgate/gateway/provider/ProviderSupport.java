package dev.tollgate.gateway.provider;

import dev.tollgate.gateway.model.Json;
import dev.tollgate.gateway.model.ProviderException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;

/**
 * What every adapter needs besides HTTP: the effective key and base URL of its target (a stored
 * credential wins over configuration) and recognising an error object sent inside a stream.
 */
public final class ProviderSupport {

    private final ProviderTarget target;
    private final ProviderCredentials credentials;

    public ProviderSupport(ProviderTarget target, @Nullable ProviderCredentials credentials) {
        this.target = target;
        this.credentials = credentials;
    }

    /** The API key to send, empty when the target needs none (a local OpenAI-compatible server). */
    public String apiKey() {
        ProviderCredentials.Credential stored = credentials == null ? null : credentials.find(target);
        if (stored != null) {
            return stored.apiKey();
        }
        return target.configuredApiKey() == null ? "" : target.configuredApiKey();
    }

    /** The base URL without a trailing slash. */
    public String baseUrl() {
        ProviderCredentials.Credential stored = credentials == null ? null : credentials.find(target);
        if (stored != null && stored.baseUrl() != null && !stored.baseUrl().isBlank()) {
            String url = stored.baseUrl();
            return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }
        return target.baseUrl();
    }

    /** Throws when a streamed payload is an error object instead of data. */
    public void failOnStreamError(JsonNode payload) {
        JsonNode error = Json.field(payload, "error");
        if (error != null) {
            String message = Json.text(error, "message");
            throw new ProviderException(ProviderException.Kind.UPSTREAM_ERROR, target.name(), 200,
                    "provider " + target.name() + " ended the stream with an error"
                            + (message == null ? "" : ": " + message), null);
        }
    }
}
