package dev.tollgate.gateway.auth;

import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.tenant.ApiKeyGrant;
import io.micronaut.http.HttpRequest;

import java.util.UUID;

/** The authenticated key behind a {@code /v1} request. */
public record Caller(ApiKeyGrant grant) {

    /** The request attribute under which {@link ApiKeyFilter} stores the caller. */
    public static final String ATTRIBUTE = "tollgate.caller";

    public static Caller of(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, Caller.class)
                .orElseThrow(() -> ApiException.unauthorized("missing API key"));
    }

    public UUID tenantId() {
        return grant.tenantId();
    }

    public UUID projectId() {
        return grant.projectId();
    }

    public UUID keyId() {
        return grant.keyId();
    }

    /** 403 unless the key's scopes allow this model. */
    public void requireModel(String model) {
        if (!grant.scopes().allowsModel(model)) {
            throw ApiException.forbidden("this API key may not use model '" + model + "'", "model_not_allowed");
        }
    }

    @Override
    public String toString() {
        return "Caller[key=" + grant.publicId() + ", tenant=" + grant.tenantId() + "]";
    }
}
