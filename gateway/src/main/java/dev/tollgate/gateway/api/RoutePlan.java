package dev.tollgate.gateway.api;

import dev.tollgate.gateway.auth.Caller;
import dev.tollgate.gateway.model.ChatRequest;
import dev.tollgate.gateway.model.EmbeddingRequest;
import dev.tollgate.gateway.provider.Embeddings;
import dev.tollgate.gateway.route.ModelRouter;
import dev.tollgate.gateway.route.Route;
import dev.tollgate.gateway.route.RouteConfig;
import dev.tollgate.gateway.route.RouteConfigParser;
import dev.tollgate.gateway.route.RouteResolver;
import dev.tollgate.gateway.route.TargetOrder;
import dev.tollgate.platform.http.ApiException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.tree.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * Where one request (chat or embeddings) may go, in the order to try: one leg per route target
 * (or the single target the model router picks when no route applies), each with its provider,
 * upstream model, request as that target receives it and timeout. Every model a leg calls must be
 * within the key's scopes.
 *
 * @param route the route in force, null for plain model routing
 * @param <R>   the request type
 */
record RoutePlan<R>(@Nullable RouteResolver.Resolved route, List<Leg<R>> legs) {

    /**
     * One target of the plan.
     *
     * @param id      {@code provider/model} as requested of the target, for breakers, metrics and attempts
     * @param request the request as this target receives it
     * @param timeout the target's {@code timeout_ms}, null for none
     */
    record Leg<R>(String id, Route route, R request, @Nullable Duration timeout) {
    }

    /** A chat request's plan: each target's {@code override_params} applied. */
    static RoutePlan<ChatRequest> of(@Nullable RouteResolver.Resolved resolved, ChatRequest request, Caller caller,
                                     ModelRouter router) {
        return build(resolved, request.model(), caller, router, route -> true,
                (overrides, route) -> override(request, overrides).withModel(route.upstreamModel()));
    }

    /**
     * An embeddings request's plan: the route's targets whose provider computes embeddings (the
     * chat-only {@code override_params} do not apply); 400 when none does.
     */
    static RoutePlan<EmbeddingRequest> embeddings(@Nullable RouteResolver.Resolved resolved, EmbeddingRequest request,
                                                  Caller caller, ModelRouter router) {
        RoutePlan<EmbeddingRequest> plan = build(resolved, request.model(), caller, router,
                route -> route.provider() instanceof Embeddings, (overrides, route) -> request.withModel(route.upstreamModel()));
        if (plan.legs().isEmpty()) {
            throw ApiException.badRequest(resolved == null
                    ? "model '" + request.model() + "' (provider " + router.resolve(request.model()).providerName()
                    + ") does not compute embeddings"
                    : "no target of this route computes embeddings", "model");
        }
        return plan;
    }

    /**
     * The legs to the targets that pass {@code eligible}.
     *
     * @param requestFor the request a target receives, from its override parameters and route
     */
    private static <R> RoutePlan<R> build(@Nullable RouteResolver.Resolved resolved, String model, Caller caller,
                                          ModelRouter router, Predicate<Route> eligible,
                                          BiFunction<Map<String, JsonNode>, Route, R> requestFor) {
        List<Leg<R>> legs = new ArrayList<>();
        if (resolved == null) {
            caller.requireModel(model);
            Route route = router.resolve(model);
            if (eligible.test(route)) {
                legs.add(new Leg<>(route.providerName() + "/" + route.upstreamModel(), route, requestFor.apply(Map.of(), route), null));
            }
            return new RoutePlan<>(null, legs);
        }
        for (RouteConfig.Target t : TargetOrder.of(resolved.config(), () -> ThreadLocalRandom.current().nextDouble())) {
            String targetModel = t.model() != null ? t.model() : model;
            Route route = router.find(t.provider() + "/" + targetModel).orElseThrow(() -> new ApiException(HttpStatus.BAD_REQUEST,
                    "invalid_request_error", "invalid route config: target " + t.provider() + "/" + targetModel
                    + " is not served by this gateway", "targets", RouteConfigParser.CODE, null, null));
            if (!eligible.test(route)) {
                continue;
            }
            caller.requireModel(targetModel);
            legs.add(new Leg<>(t.id(model), route, requestFor.apply(t.overrideParams(), route),
                    t.timeoutMs() == null ? null : Duration.ofMillis(t.timeoutMs())));
        }
        return new RoutePlan<>(resolved, legs);
    }

    /** The request with a target's {@code override_params} applied (validated by the route parser). */
    static ChatRequest override(ChatRequest r, Map<String, JsonNode> params) {
        if (params.isEmpty()) {
            return r;
        }
        Integer maxTokens = r.maxTokens();
        Double temperature = r.temperature();
        Double topP = r.topP();
        List<String> stop = r.stop();
        Map<String, JsonNode> extra = new HashMap<>(r.extra());
        for (Map.Entry<String, JsonNode> e : params.entrySet()) {
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "max_tokens" -> maxTokens = v.getIntValue();
                case "temperature" -> temperature = v.getDoubleValue();
                case "top_p" -> topP = v.getDoubleValue();
                case "stop" -> {
                    List<String> s = new ArrayList<>();
                    if (v.isString()) {
                        s.add(v.getStringValue());
                    } else {
                        v.values().forEach(x -> s.add(x.getStringValue()));
                    }
                    stop = s;
                }
                default -> extra.put(e.getKey(), v);
            }
        }
        return new ChatRequest(r.model(), r.messages(), r.tools(), r.toolChoice(), maxTokens, temperature, topP, stop, r.n(),
                r.user(), r.responseFormat(), r.stream(), extra);
    }

    Leg<R> first() {
        return legs.get(0);
    }

    /** The route's cache settings, null when not caching. */
    @Nullable
    RouteConfig.Cache cache() {
        return route == null ? null : route.config().cache();
    }
}
