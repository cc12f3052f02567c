/**
 * Model routing: which provider target serves a requested model and under which upstream name
 * (explicit {@code target/model}, aliases, listed models, then name patterns such as
 * {@code claude-*}). Retries, fallback and load balancing will build on
 * {@link dev.tollgate.gateway.route.ModelRouter}'s {@link dev.tollgate.gateway.route.Route}.
 */
package dev.tollgate.gateway.route;
