package dev.tollgate.gateway.route;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A route: how one request is spread over provider targets, retried and cached. Stored per
 * tenant or project ({@code PUT /api/v1/routes/{name}}), bound to a key
 * ({@code api_key.route_name}) or sent per request in {@code x-tollgate-config}; always the
 * same JSON, read and validated by {@link RouteConfigParser}.
 *
 * @param strategy how targets are chosen
 * @param retry    retries of one target before moving on
 * @param targets  at least one target; order matters for {@link Mode#FALLBACK}
 * @param cache    response caching, null for none
 */
public record RouteConfig(Strategy strategy, Retry retry, List<Target> targets, @Nullable Cache cache) {

    /** Status codes retried when a route names none. */
    public static final List<Integer> DEFAULT_RETRY_STATUSES = List.of(429, 500, 502, 503, 504);
    /**
     * Semantic similarity a cached answer needs when a route names none. Chosen on a calibration
     * set of normalised questions (all-MiniLM-L6-v2, quantised): paraphrases scored 0.88 to 1
     * ("What is AI?" / "Can you explain what AI is?" 0.884), different but related questions at
     * most 0.756 ("How do I install Docker on Ubuntu?" / "... uninstall ..."). 0.85 keeps about
     * 0.1 below it, since a wrong hit serves a wrong answer while a miss only costs a call.
     */
    public static final double DEFAULT_THRESHOLD = 0.85;
    /** Cache lifetime when a route names none. */
    public static final int DEFAULT_TTL_SECONDS = 3600;

    public RouteConfig {
        targets = List.copyOf(targets);
    }

    /** Fallback tries targets in order; loadbalance picks by weight and falls back to the rest. */
    public enum Mode { FALLBACK, LOADBALANCE }

    /**
     * @param mode          the strategy
     * @param onStatusCodes upstream statuses that move on to the next target; empty: every
     *                      failure except an upstream 400-class rejection of the request itself
     */
    public record Strategy(Mode mode, List<Integer> onStatusCodes) {
        public Strategy {
            onStatusCodes = List.copyOf(onStatusCodes);
        }
    }

    /**
     * @param attempts      retries of a target after its first failed call (0 = none)
     * @param onStatusCodes upstream statuses that are retried; timeouts and dropped connections always are
     */
    public record Retry(int attempts, List<Integer> onStatusCodes) {
        public Retry {
            onStatusCodes = List.copyOf(onStatusCodes);
        }

        public static final Retry NONE = new Retry(0, DEFAULT_RETRY_STATUSES);
    }

    /**
     * One place a request can go.
     *
     * @param provider       a configured provider target name ({@code tollgate.providers.<name>})
     * @param model          the model sent to that provider; null keeps the caller's model
     * @param weight         share of traffic under {@link Mode#LOADBALANCE}
     * @param timeoutMs      total time for one call to this target (first byte of a stream included), null for the provider's
     * @param overrideParams request parameters forced on this target ({@code temperature}, {@code max_tokens} …)
     */
    public record Target(String provider, @Nullable String model, double weight, @Nullable Integer timeoutMs,
                         Map<String, JsonNode> overrideParams) {
        public Target {
            overrideParams = Map.copyOf(overrideParams);
        }

        /** Identifies the target in metrics, attempts and circuit breakers: {@code provider/model}. */
        public String id(String requestedModel) {
            return provider + "/" + (model != null ? model : requestedModel);
        }
    }

    /** How answers are cached. */
    public enum CacheMode { SIMPLE, SEMANTIC }

    /**
     * @param mode       exact match only, or exact then semantic
     * @param ttlSeconds lifetime of a cached answer
     * @param threshold  cosine similarity a semantic hit needs (semantic mode)
     * @param multiTurn  whether the semantic cache also serves conversations of more than one user turn
     */
    public record Cache(CacheMode mode, int ttlSeconds, double threshold, boolean multiTurn) {
    }

    /** The override parameters the gateway understands; any other name is refused. */
    public static final Set<String> OVERRIDABLE = Set.of("temperature", "top_p", "max_tokens", "stop",
            "seed", "presence_penalty", "frequency_penalty");
}
