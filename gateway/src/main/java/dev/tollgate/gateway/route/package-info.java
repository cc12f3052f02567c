/**
 * Routing: which provider target serves a request and what happens when it fails.
 * {@link dev.tollgate.gateway.route.ModelRouter} maps a model name to a target (explicit
 * {@code target/model}, the operators' stored mappings of {@link dev.tollgate.gateway.route.ModelMappings},
 * configured aliases, listed models, name patterns, the providers' price lists). A {@link dev.tollgate.gateway.route.RouteConfig}
 * (stored through {@link dev.tollgate.gateway.route.RoutesController}, bound to a key, or sent in
 * {@code x-tollgate-config}) spreads a request over several targets: fallback in order or weighted
 * load balancing ({@link dev.tollgate.gateway.route.TargetOrder}), retries with backoff and full jitter
 * ({@link dev.tollgate.gateway.route.RetryPolicy}) and a circuit breaker per target
 * ({@link dev.tollgate.gateway.route.CircuitBreaker}); {@link dev.tollgate.gateway.route.TargetRunner}
 * runs those attempts and records each of them, for chat and embeddings alike. Stored routes are cached per
 * replica by the {@link dev.tollgate.gateway.route.RouteResolver} and dropped on every replica at once when
 * they change ({@link dev.tollgate.gateway.route.RouteInvalidations}, Redis pub/sub).
 */
package dev.tollgate.gateway.route;
