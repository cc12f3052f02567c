package dev.tollgate.gateway.auth;

import dev.tollgate.gateway.GatewayErrors;
import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.key.ApiKeyHasher;
import dev.tollgate.platform.key.ApiKeyToken;
import dev.tollgate.platform.tenant.ApiKeyGrant;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.FilterContinuation;
import io.micronaut.http.filter.ServerFilterPhase;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.Optional;

/**
 * Authenticates every {@code /v1/**} request by API key ({@code Authorization: Bearer tg_…}, or
 * {@code x-api-key: tg_…} as the Anthropic SDK sends it) and checks the endpoint scope. A missing,
 * unknown, wrong, expired or revoked key, or a deleted project, is a 401; a suspended tenant or
 * an endpoint outside the key's scopes a 403. The key lookup never blocks the event loop.
 */
@ServerFilter("/v1/**")
@Requires(property = "tollgate.gateway.enabled", notEquals = "false")
public class ApiKeyFilter implements io.micronaut.core.order.Ordered {

    private static final String REFUSAL = "tollgate.auth.refusal";

    private final ApiKeyCache cache;
    private final ApiKeyHasher hasher;
    private final MeterRegistry meters;

    public ApiKeyFilter(ApiKeyCache cache, ApiKeyHasher hasher, MeterRegistry meters) {
        this.cache = cache;
        this.hasher = hasher;
        this.meters = meters;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }

    @RequestFilter
    public Publisher<MutableHttpResponse<?>> authenticate(HttpRequest<?> request,
                                                          FilterContinuation<Publisher<MutableHttpResponse<?>>> chain) {
        GatewayErrors.Shape shape = GatewayErrors.shapeFor(request.getPath());
        Optional<ApiKeyToken> token = ApiKeyToken.parse(presentedKey(request));
        if (token.isEmpty()) {
            return Mono.just(refuse(ApiException.unauthorized(
                    "missing or malformed API key: send Authorization: Bearer tg_…"), shape));
        }
        return Mono.fromFuture(cache.find(token.get().publicId()))
                .flatMap(grant -> {
                    verify(token.get(), grant.orElse(null), endpointOf(request.getPath()), Instant.now());
                    request.setAttribute(Caller.ATTRIBUTE, new Caller(grant.get()));
                    return Mono.just(true);
                })
                .onErrorResume(e -> Mono.just(false).doOnNext(x -> request.setAttribute(REFUSAL, e)))
                .flatMapMany(ok -> ok ? Flux.from(chain.proceed()) : Mono.just(refuse(
                        request.getAttribute(REFUSAL, Throwable.class).filter(e -> e instanceof ApiException)
                                .map(ApiException.class::cast)
                                .orElseGet(() -> new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "api_error",
                                        "the key store is unavailable, try again shortly", null, "key_store_unavailable", null, null)),
                        shape)));
    }

    /**
     * The answer to a request refused before any tenant is known. Such a request has no usage
     * event (it belongs to no tenant), so it is counted here: {@code tollgate.gateway.refused}
     * by status.
     */
    private MutableHttpResponse<?> refuse(ApiException e, GatewayErrors.Shape shape) {
        meters.counter("tollgate.gateway.refused", "status", Integer.toString(e.status().getCode())).increment();
        return GatewayErrors.render(e, shape);
    }

    /** Checks a presented key against its stored grant; throws the matching 401/403. */
    void verify(ApiKeyToken token, ApiKeyGrant grant, String endpoint, Instant now) {
        if (grant == null) {
            throw ApiException.unauthorized("Incorrect API key provided");
        }
        boolean matches = hasher.matches(token.secret(), grant.secretHash())
                || (grant.previousSecretValid(now) && hasher.matches(token.secret(), grant.previousSecretHash()));
        if (!matches) {
            throw ApiException.unauthorized("Incorrect API key provided");
        }
        if (grant.revoked()) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, "authentication_error", "this API key has been revoked",
                    null, "key_revoked", null, null);
        }
        if (grant.expired(now)) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, "authentication_error", "this API key has expired",
                    null, "key_expired", null, null);
        }
        if (grant.projectDeleted()) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, "authentication_error",
                    "the project of this API key has been deleted", null, "project_deleted", null, null);
        }
        if (grant.tenantSuspended()) {
            throw ApiException.forbidden("this account is suspended", "tenant_suspended");
        }
        if (endpoint != null && !grant.scopes().allowsEndpoint(endpoint)) {
            throw ApiException.forbidden("this API key may not call the " + endpoint + " endpoint", "endpoint_not_allowed");
        }
    }

    private static String presentedKey(HttpRequest<?> request) {
        String auth = request.getHeaders().get("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).trim();
        }
        String apiKey = request.getHeaders().get("x-api-key");
        return apiKey == null ? null : apiKey.trim();
    }

    /** The scope name of an endpoint ({@code chat}, {@code embeddings}, {@code messages}), null for none. */
    static String endpointOf(String path) {
        if (path.startsWith("/v1/chat/completions")) {
            return "chat";
        }
        if (path.startsWith("/v1/embeddings")) {
            return "embeddings";
        }
        if (path.startsWith("/v1/messages")) {
            return "messages";
        }
        return null;
    }
}
