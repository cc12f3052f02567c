package dev.tollgate.gateway.meter;

import dev.tollgate.platform.price.PriceBook;
import dev.tollgate.platform.price.Quote;
import dev.tollgate.platform.usage.TokenUsage;
import dev.tollgate.platform.usage.UsageEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Prices and records usage events. The {@link PriceBook} comes from billing and is optional:
 * without it events are recorded unpriced (flagged, never billed as $0 silently by us).
 */
@Singleton
public class UsageMeter {

    private static final Logger LOG = LoggerFactory.getLogger(UsageMeter.class);

    private final UsageJournal journal;
    private final PriceBook prices;
    private final Counter events;
    private final MeterRegistry meters;
    private final ExecutorService blocking;

    public UsageMeter(UsageJournal journal, @Nullable PriceBook prices, MeterRegistry meters,
                      @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.journal = journal;
        this.blocking = blocking;
        this.prices = prices;
        this.events = Counter.builder("tollgate.meter.events").description("usage events recorded").register(meters);
        this.meters = meters;
    }

    /** Whether costs can be computed (a price book is installed). */
    public boolean canPrice() {
        return prices != null;
    }

    /** The price of some usage, or null without a price book or when pricing fails. May block: not on the event loop. */
    @Nullable
    public Quote quote(String provider, String model, TokenUsage usage, Instant at, UUID tenantId) {
        if (prices == null) {
            return null;
        }
        try {
            return prices.quote(provider, model, usage, at, tenantId);
        } catch (RuntimeException e) {
            LOG.warn("pricing {}/{} failed: {}", provider, model, e.toString());
            return Quote.unpriced("pricing failed");
        }
    }

    /**
     * Builds, prices and journals the event of a completed request, once: a second call for the
     * same trace completes empty. Pricing may read the database, so it runs on the blocking
     * executor, never on the event loop.
     */
    public CompletableFuture<Optional<UsageEvent>> record(RequestTrace t) {
        if (!t.complete()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        journal.expect();
        if (prices == null) {
            return CompletableFuture.completedFuture(buildOrWithdraw(t));
        }
        return CompletableFuture.supplyAsync(() -> buildOrWithdraw(t), blocking);
    }

    private Optional<UsageEvent> buildOrWithdraw(RequestTrace t) {
        try {
            return Optional.of(build(t));
        } catch (RuntimeException e) {
            journal.appendExpected(null);
            LOG.error("usage event of request {} could not be built", t.requestId(), e);
            return Optional.empty();
        }
    }

    private UsageEvent build(RequestTrace t) {
        Instant at = t.startedAt();
        String model = t.modelServedValue() != null ? t.modelServedValue() : t.modelRequestedValue();
        Quote quote = t.providerValue() == null || model == null ? null : quote(t.providerValue(), model, t.usage(), at, t.tenantId());
        // a cache hit carries the usage of the answer it replayed: it costs and bills nothing, and
        // what that usage would have cost is what it saved (billing's repricer does the same)
        boolean hit = t.cacheHit();
        BigDecimal cost = quote == null ? null : hit && quote.priced() ? BigDecimal.ZERO : quote.costUsd();
        BigDecimal billed = quote == null ? null : hit && quote.priced() ? BigDecimal.ZERO : quote.billedUsd();
        BigDecimal saved = hit && quote != null && quote.priced() ? quote.costUsd() : null;
        UsageEvent event = new UsageEvent(t.requestId(), at, t.tenantId(), t.projectId(), t.apiKeyId(), t.endpoint(),
                t.modelRequestedValue(), t.modelServedValue(), t.providerValue(), t.streamed(), t.status(), t.errorType(),
                t.cacheStatus(), t.usage(), t.latencyMs(), t.upstreamLatencyMs(), t.ttftMs(), cost, billed, saved,
                quote == null ? (prices == null ? null : "unpriced") : quote.priceRef(), quote != null && quote.priced(),
                t.attempts());
        journal.appendExpected(event);
        events.increment();
        Timer.builder("tollgate.gateway.requests").description("requests through the gateway, by outcome")
                .tag("endpoint", t.endpoint()).tag("provider", t.providerValue() == null ? "none" : t.providerValue())
                .tag("status", String.valueOf(t.status())).tag("streamed", String.valueOf(t.streamed()))
                .register(meters).record(Duration.ofMillis(t.latencyMs()));
        return event;
    }
}
