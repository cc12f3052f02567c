package dev.tollgate.gateway.api;

import dev.tollgate.gateway.auth.Caller;
import dev.tollgate.gateway.model.ChatRequest;
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

/**
 * Where one chat request may go, in the order to try: one leg per route target (or the single
 * target the model router picks when no route applies), each with its provider, upstream model,
 * override parameters applied and timeout. Every model a leg calls must be within the key's scopes.
 *
 * @param route the route in force, null for plain model routing
 */
record RoutePlan(@Nullable RouteResolver.Resolved route, List<Leg> legs) {

    /**
     * One target of the plan.
     *
     * @param id      {@code provider/model} as requested of the target, for breakers, metrics and attempts
     * @param request the request as this target receives it
     * @param timeout the target's {@code timeout_ms}, null for none
     */
    record Leg(String id, Route route, ChatRequest request, @Nullable Duration timeout) {
    }

    static RoutePlan of(@Nullable RouteResolver.Resolved resolved, ChatRequest request, Caller caller, ModelRouter router) {
        if (resolved == null) {
            caller.requireModel(request.model());
            Route route = router.resolve(request.model());
            return new RoutePlan(null, List.of(new Leg(route.providerName() + "/" + route.upstreamModel(), route,
                    request.withModel(route.upstreamModel()), null)));
        }
        List<Leg> legs = new ArrayList<>();
        for (RouteConfig.Target t : TargetOrder.of(resolved.config(), () -> ThreadLocalRandom.current().nextDouble())) {
            String model = t.model() != null ? t.model() : request.model();
            caller.requireModel(model);
            Route route = router.find(t.provider() + "/" + model).orElseThrow(() -> new ApiException(HttpStatus.BAD_REQUEST,
                    "invalid_request_error", "invalid route config: target " + t.provider() + "/" + model + " is not served by this gateway",
                    "targets", RouteConfigParser.CODE, null, null));
            ChatRequest upstream = override(request, t.overrideParams()).withModel(route.upstreamModel());
            legs.add(new Leg(t.id(request.model()), route, upstream, t.timeoutMs() == null ? null : Duration.ofMillis(t.timeoutMs())));
        }
        return new RoutePlan(resolved, legs);
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

    Leg first() {
        return legs.get(0);
    }

    /** The route's cache settings, null when not caching. */
    @Nullable
    RouteConfig.Cache cache() {
        return route == null ? null : route.config().cache();
    }
}
