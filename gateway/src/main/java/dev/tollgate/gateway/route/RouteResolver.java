package dev.tollgate.gateway.route;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tollgate.gateway.provider.ModelProvider;
import dev.tollgate.platform.http.ApiException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

/**
 * Which route a request follows: the {@code x-tollgate-config} header when sent, else the route
 * its key is bound to ({@code api_key.route_name}: the key's project's route of that name, else
 * the tenant's), else none (plain model routing). Stored routes are cached per replica; a change
 * reaches every replica at once through {@link RouteInvalidations} (Redis pub/sub), and the cache
 * also re-reads each route every {@link RoutingConfiguration#routeCacheTtl()} in case a message
 * was lost. A key bound to a route that does not exist, or
 * that cannot be read because PostgreSQL is away and it was never read before, is served by
 * plain model routing.
 */
@Singleton
public class RouteResolver {

    /** The header carrying a per-request route config. */
    public static final String HEADER = "x-tollgate-config";
    private static final Logger LOG = LoggerFactory.getLogger(RouteResolver.class);

    /** A route in force for one request; {@code name} is null for a header config. */
    public record Resolved(@Nullable String name, RouteConfig config) {
    }

    private record Key(UUID tenantId, UUID projectId, String name) {
    }

    /** A stored route read back: its config, or why it is no longer valid. */
    private record Loaded(@Nullable RouteConfig config, @Nullable ApiException invalid) {
    }

    private final RouteStore store;
    private final JsonMapper json;
    private final Set<String> providers;
    private final AsyncLoadingCache<Key, Optional<Loaded>> cache;

    public RouteResolver(RouteStore store, JsonMapper json, List<ModelProvider> providers, RoutingConfiguration configuration,
                         @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.store = store;
        this.json = json;
        Set<String> names = new LinkedHashSet<>();
        providers.forEach(p -> names.add(p.target().name()));
        this.providers = Set.copyOf(names);
        // refreshed rather than expired: while PostgreSQL is away, the last known routes stay in force
        this.cache = Caffeine.newBuilder()
                .refreshAfterWrite(configuration.routeCacheTtl())
                .maximumSize(100_000)
                .executor(blocking)
                .buildAsync(this::load);
    }

    /** The configured provider target names a route may name. */
    public Set<String> providerNames() {
        return providers;
    }

    /** The route of a request, empty for plain model routing. */
    public Mono<Optional<Resolved>> resolve(UUID tenantId, UUID projectId, @Nullable String routeName, @Nullable String header) {
        if (header != null) {
            return Mono.just(Optional.of(new Resolved(null, parseHeader(header))));
        }
        if (routeName == null || routeName.isBlank()) {
            return Mono.just(Optional.empty());
        }
        return Mono.fromFuture(cache.get(new Key(tenantId, projectId, routeName))).onErrorResume(e -> {
            LOG.warn("route '{}' of tenant {} cannot be read ({}): plain model routing", routeName, tenantId, e.getClass().getSimpleName());
            return Mono.just(Optional.empty());
        }).map(loaded -> {
            if (loaded.isEmpty()) {
                return Optional.<Resolved>empty();
            }
            if (loaded.get().invalid() != null) {
                throw loaded.get().invalid();
            }
            return Optional.of(new Resolved(routeName, loaded.get().config()));
        });
    }

    /** Parses a per-request config; 400 naming the header when it is not a valid route. */
    public RouteConfig parseHeader(String header) {
        JsonNode node;
        try {
            node = json.readValue(header, JsonNode.class);
        } catch (IOException | RuntimeException e) {
            throw ApiException.badRequest("the " + HEADER + " header is not valid JSON", HEADER);
        }
        return RouteConfigParser.parse(node, providers);
    }

    /** Forgets the cached copies of a tenant's route (after it changed). */
    public void invalidate(UUID tenantId, String name) {
        cache.synchronous().asMap().keySet().removeIf(k -> k.tenantId().equals(tenantId) && k.name().equals(name));
    }

    /** Forgets every cached route. */
    public void invalidateAll() {
        cache.synchronous().invalidateAll();
    }

    private Optional<Loaded> load(Key key) {
        return store.resolve(key.tenantId(), key.projectId(), key.name()).map(stored -> {
            try {
                return new Loaded(RouteConfigParser.parse(stored.config(), providers), null);
            } catch (ApiException e) {
                LOG.warn("stored route '{}' of tenant {} is no longer valid: {}", key.name(), key.tenantId(), e.getMessage());
                return new Loaded(null, new ApiException(e.status(), "invalid_request_error",
                        "the route '" + key.name() + "' bound to this key is no longer valid: " + e.getMessage(),
                        e.body().error().param(), RouteConfigParser.CODE, null, null));
            }
        });
    }
}
