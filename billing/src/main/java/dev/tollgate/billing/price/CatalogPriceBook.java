package dev.tollgate.billing.price;

import dev.tollgate.platform.price.PriceBook;
import dev.tollgate.platform.price.Quote;
import dev.tollgate.platform.usage.TokenUsage;
import dev.tollgate.platform.usage.extract.ExtractedUsage;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import javax.sql.DataSource;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link PriceBook} of Tollgate: the bundled price table (imported on first use) plus the
 * operators' overrides, held in memory and refreshed every {@code tollgate.prices.refresh-interval}
 * (default 30 s), so a quote never waits on the database except the first time a tenant's
 * markup is needed.
 * <p>
 * Arithmetic: prices and token counts are multiplied exactly in {@link BigDecimal}; the cost is
 * then rounded <b>once</b> to {@value #SCALE} decimal places, {@link RoundingMode#HALF_UP} (the
 * scale of {@code usage_event.cost_usd}), and the billed amount is the exact cost times the
 * tenant's {@code tenant.markup} (default 1.0), rounded the same way. Nothing is ever priced
 * as zero for lack of a price: an unknown model yields {@link Quote#unpriced(String)}, is counted
 * and listed at {@code GET /admin/v1/prices/unpriced}.
 */
@Singleton
public class CatalogPriceBook implements PriceBook {

    /** Decimal places of every amount this price book returns. */
    public static final int SCALE = 10;
    private static final Logger LOG = LoggerFactory.getLogger(CatalogPriceBook.class);
    private static final int LOOKUP_CACHE_LIMIT = 10_000;

    private final PriceImporter importer;
    private final PriceStore store;
    private final DataSource dataSource;
    private final Map<UUID, BigDecimal> markups = new ConcurrentHashMap<>();
    private final Map<String, UnpricedStat> unpriced = new ConcurrentHashMap<>();
    private volatile State state;

    private record State(PriceCatalog catalog, List<PriceOverride> overrides,
                         Map<String, Optional<PriceCatalog.Match>> lookups) {
    }

    /** How often a provider/model went unpriced in this process. */
    public record UnpricedStat(String provider, String model, AtomicLong count, Instant firstSeen, AtomicLong lastSeenMillis) {
    }

    public CatalogPriceBook(PriceImporter importer, PriceStore store, DataSource dataSource) {
        this.importer = importer;
        this.store = store;
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    /**
     * Loads the catalogue (importing the bundled file the first time) in the background, so a
     * first start is not held up by it; a quote asked for meanwhile waits for the load.
     */
    @EventListener
    void onStartup(StartupEvent event) {
        Thread loader = new Thread(() -> {
            try {
                state();
            } catch (RuntimeException e) {
                LOG.error("price table not loaded at start-up, retried at first use: {}", e.toString());
            }
        }, "tollgate-price-load");
        loader.setDaemon(true);
        loader.start();
    }

    @Override
    public Quote quote(String provider, String model, TokenUsage usage, Instant at, UUID tenantId) {
        return price(provider, model, ExtractedUsage.countsOf(usage), at, tenantId).toQuote();
    }

    /**
     * Prices usage counts (genai-prices usage names, as {@link ExtractedUsage} has them). The one
     * code path behind {@link #quote}, the re-pricing job and the cost preview.
     */
    public PricedUsage price(@Nullable String provider, @Nullable String model, Map<String, Long> counts, Instant at,
                             @Nullable UUID tenantId) {
        return price(provider, model, counts, at, tenantId, null);
    }

    /**
     * As {@link #price(String, String, Map, Instant, UUID)} with the tenant's markup given by the
     * caller (null: look it up), for callers that already hold a database connection.
     */
    public PricedUsage price(@Nullable String provider, @Nullable String model, Map<String, Long> counts, Instant at,
                             @Nullable UUID tenantId, @Nullable BigDecimal knownMarkup) {
        if (model == null || model.isBlank()) {
            return countUnpriced(provider, "(none)", PricedUsage.unpriced("no model named"));
        }
        State s = state();
        Optional<PriceCatalog.Match> match = s.lookups().computeIfAbsent(key(provider, model), k -> s.catalog().find(provider, model));
        if (s.lookups().size() > LOOKUP_CACHE_LIMIT) {
            s.lookups().clear();
        }
        Optional<PriceOverride> override = override(s, provider, model, match, at, tenantId);
        ModelPrice price;
        String ref;
        if (match.isPresent()) {
            price = match.get().model().periodAt(at).price();
            ref = match.get().ref(s.catalog().sourceRef(), at);
            if (override.isPresent()) {
                price = price.overriddenBy(override.get().prices());
                ref = "override:" + override.get().id() + "+" + ref;
            }
        } else if (override.isPresent()) {
            price = override.get().prices();
            ref = "override:" + override.get().id();
        } else {
            return countUnpriced(provider, model, PricedUsage.unpriced("no price for " + (provider == null ? "" : provider + "/") + model));
        }
        PriceCalculator.Breakdown b;
        try {
            b = PriceCalculator.calculate(price, counts);
        } catch (PriceCalculator.InconsistentUsageException e) {
            return countUnpriced(provider, model, PricedUsage.unpriced(e.getMessage()));
        }
        BigDecimal markup = knownMarkup != null ? knownMarkup : markup(tenantId);
        BigDecimal exact = b.total();
        String providerId = match.isPresent() ? match.get().model().providerId() : override.get().providerId();
        String modelId = match.isPresent() ? match.get().model().id() : model;
        return new PricedUsage(true, round(b.inputPrice()), round(b.outputPrice()), round(exact), round(exact.multiply(markup)),
                markup, ref, providerId, modelId, b.chargedUnits(), null);
    }

    private static BigDecimal round(BigDecimal v) {
        return v.setScale(SCALE, RoundingMode.HALF_UP);
    }

    private Optional<PriceOverride> override(State s, @Nullable String provider, String model, Optional<PriceCatalog.Match> match,
                                             Instant at, @Nullable UUID tenantId) {
        if (s.overrides().isEmpty()) {
            return Optional.empty();
        }
        String providerName = provider == null ? null : provider.trim().toLowerCase(Locale.ROOT);
        String catalogProvider = match.map(m -> m.model().providerId())
                .or(() -> s.catalog().provider(provider, model).map(CatalogProvider::id)).orElse(null);
        String catalogModel = match.map(m -> m.model().id()).orElse(null);
        return s.overrides().stream()
                .filter(o -> o.activeAt(at))
                .filter(o -> o.providerId().equals(providerName) || o.providerId().equals(catalogProvider))
                .filter(o -> o.modelId() == null || o.modelId().equals(model) || o.modelId().equals(catalogModel))
                .filter(o -> o.tenantId() == null || o.tenantId().equals(tenantId))
                .max(Comparator.comparingInt(PriceOverride::specificity)
                        .thenComparing(PriceOverride::effectiveFrom)
                        .thenComparing(PriceOverride::createdAt));
    }

    private PricedUsage countUnpriced(@Nullable String provider, String model, PricedUsage result) {
        String p = provider == null ? "(unknown)" : provider;
        UnpricedStat stat = unpriced.computeIfAbsent(p + "\u0000" + model,
                k -> new UnpricedStat(p, model, new AtomicLong(), Instant.now(), new AtomicLong()));
        stat.count().incrementAndGet();
        stat.lastSeenMillis().set(System.currentTimeMillis());
        return result;
    }

    /** Unpriced lookups in this process since start, most frequent first. */
    public List<UnpricedStat> unpricedSinceStart() {
        List<UnpricedStat> list = new ArrayList<>(unpriced.values());
        list.sort(Comparator.comparingLong((UnpricedStat u) -> u.count().get()).reversed());
        return list;
    }

    /** The tenant's markup: cached; loaded from {@code tenant.markup} on first sight. */
    public BigDecimal markup(@Nullable UUID tenantId) {
        if (tenantId == null) {
            return BigDecimal.ONE;
        }
        return markups.computeIfAbsent(tenantId, this::loadMarkup);
    }

    private BigDecimal loadMarkup(UUID tenantId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select markup from tenant where id = ?")) {
            ps.setObject(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBigDecimal(1) : BigDecimal.ONE;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read tenant markup", e);
        }
    }

    /** The catalogue in use. */
    public PriceCatalog catalog() {
        return state().catalog();
    }

    public List<PriceOverride> overrides() {
        return state().overrides();
    }

    /** Reloads overrides and markups (the catalogue version is fixed by the bundled file). */
    @Scheduled(fixedDelay = "${tollgate.prices.refresh-interval:30s}", initialDelay = "${tollgate.prices.refresh-interval:30s}")
    public void refresh() {
        State current = state;
        if (current == null) {
            state();
            return;
        }
        state = new State(current.catalog(), List.copyOf(store.overrides()), new ConcurrentHashMap<>());
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select id, markup from tenant")) {
            try (ResultSet rs = ps.executeQuery()) {
                Map<UUID, BigDecimal> fresh = new java.util.HashMap<>();
                while (rs.next()) {
                    fresh.put(rs.getObject(1, UUID.class), rs.getBigDecimal(2));
                }
                markups.keySet().retainAll(fresh.keySet());
                markups.putAll(fresh);
            }
        } catch (SQLException e) {
            LOG.warn("cannot refresh tenant markups: {}", e.getMessage());
        }
    }

    private State state() {
        State s = state;
        if (s == null) {
            synchronized (this) {
                s = state;
                if (s == null) {
                    long sourceId = importer.importBundled();
                    PriceCatalog catalog = store.loadCatalog(sourceId);
                    LOG.info("prices: {} with {} models, {} overrides", catalog.sourceRef(), catalog.modelCount(),
                            store.overrides().size());
                    s = new State(catalog, List.copyOf(store.overrides()), new ConcurrentHashMap<>());
                    state = s;
                }
            }
        }
        return s;
    }

    private static String key(@Nullable String provider, String model) {
        return (provider == null ? "" : provider) + "\u0000" + model;
    }
}
