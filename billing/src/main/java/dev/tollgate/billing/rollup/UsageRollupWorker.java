package dev.tollgate.billing.rollup;

import dev.tollgate.billing.budget.BudgetService;
import dev.tollgate.billing.report.SpendSpikeAlerts;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/**
 * The billing worker's cycle (every {@code tollgate.billing.worker-interval}, default 10 s):
 * price events that arrived unpriced, roll new events into the hourly and daily rollups, then
 * check the budgets and spend spikes of the tenants whose spend moved. An event is rolled once
 * it carries a price or the reason it has none ({@code price_ref}); one stored with neither
 * waits for the re-pricer, so an event arriving between the two steps is never rolled as
 * unpriced by mistake. Safe with any number of workers: each batch is claimed with
 * {@code for update skip locked} and flagged rolled in the statement that adds it to the
 * rollups, so an event is counted once whichever worker takes it and whenever it
 * arrives (late events included).
 */
@Singleton
@Requires(property = "tollgate.billing.enabled", notEquals = "false")
public class UsageRollupWorker {

    /** Stands for "no project" / "no key" in rollup keys. */
    public static final UUID NONE = new UUID(0, 0);
    private static final Logger LOG = LoggerFactory.getLogger(UsageRollupWorker.class);

    private static final String ROLL = """
            with batch as (
                select request_id, occurred_at from usage_event
                 where not rolled and (priced or price_ref is not null)
                 order by occurred_at limit ? for update skip locked
            ), upd as (
                update usage_event e set rolled = true from batch b
                 where e.request_id = b.request_id and e.occurred_at = b.occurred_at and not e.rolled
                returning e.*
            ), hourly as (%s
            ), daily as (%s
            )
            select tenant_id, count(*) from upd group by tenant_id""".formatted(upsert("h", "hour"), upsert("d", "day"));

    /** Adds the claimed events ({@code upd}) to the rollup rows of one granularity. */
    private static String upsert(String granularity, String unit) {
        return """
                insert into usage_rollup (granularity, bucket_start, tenant_id, project_id, api_key_id, model, provider,
                                          requests, errors, cache_hits, unpriced_requests, input_tokens, cached_input_tokens,
                                          cache_write_tokens, output_tokens, reasoning_tokens, cost_usd, billed_usd, saved_usd)
                select '%s', date_trunc('%s', occurred_at, 'UTC'), tenant_id,
                       coalesce(project_id, '00000000-0000-0000-0000-000000000000'::uuid),
                       coalesce(api_key_id, '00000000-0000-0000-0000-000000000000'::uuid),
                       coalesce(model_served, model_requested, ''), coalesce(provider, ''),
                       count(*), count(*) filter (where status >= 400),
                       count(*) filter (where cache_status in ('hit', 'semantic_hit')), count(*) filter (where not priced),
                       sum(input_tokens), sum(cached_input_tokens), sum(cache_write_tokens), sum(output_tokens), sum(reasoning_tokens),
                       coalesce(sum(cost_usd), 0), coalesce(sum(billed_usd), 0), coalesce(sum(saved_usd), 0)
                  from upd group by 2, 3, 4, 5, 6, 7
                on conflict (granularity, tenant_id, bucket_start, project_id, api_key_id, model, provider) do update set
                    requests = usage_rollup.requests + excluded.requests, errors = usage_rollup.errors + excluded.errors,
                    cache_hits = usage_rollup.cache_hits + excluded.cache_hits,
                    unpriced_requests = usage_rollup.unpriced_requests + excluded.unpriced_requests,
                    input_tokens = usage_rollup.input_tokens + excluded.input_tokens,
                    cached_input_tokens = usage_rollup.cached_input_tokens + excluded.cached_input_tokens,
                    cache_write_tokens = usage_rollup.cache_write_tokens + excluded.cache_write_tokens,
                    output_tokens = usage_rollup.output_tokens + excluded.output_tokens,
                    reasoning_tokens = usage_rollup.reasoning_tokens + excluded.reasoning_tokens,
                    cost_usd = usage_rollup.cost_usd + excluded.cost_usd,
                    billed_usd = usage_rollup.billed_usd + excluded.billed_usd,
                    saved_usd = usage_rollup.saved_usd + excluded.saved_usd""".formatted(granularity, unit);
    }

    private final DataSource dataSource;
    private final Repricer repricer;
    private final BudgetService budgets;
    private final SpendSpikeAlerts spikes;
    private final int batchSize;

    public UsageRollupWorker(DataSource dataSource, Repricer repricer, BudgetService budgets, SpendSpikeAlerts spikes,
                             @Value("${tollgate.billing.batch-size:5000}") int batchSize) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.repricer = repricer;
        this.budgets = budgets;
        this.spikes = spikes;
        this.batchSize = batchSize;
    }

    @Scheduled(fixedDelay = "${tollgate.billing.worker-interval:10s}", initialDelay = "${tollgate.billing.worker-interval:10s}")
    void scheduled() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            LOG.error("billing worker cycle failed; retried next cycle", e);
        }
    }

    /** One full cycle; returns how many events were rolled. */
    public int runOnce() {
        Instant now = Instant.now();
        Repricer.Result r;
        do {
            r = repricer.reprice(now.minus(Duration.ofDays(400)), now.plus(Duration.ofDays(1)), false, batchSize);
        } while (r.examined() == batchSize && r.priced() > 0);
        int total = 0;
        Set<UUID> tenants = new LinkedHashSet<>();
        int rolled;
        do {
            rolled = rollBatch(tenants);
            total += rolled;
        } while (rolled == batchSize);
        if (!tenants.isEmpty()) {
            budgets.checkTenants(tenants);
            spikes.check(tenants, Instant.now());
        }
        return total;
    }

    private int rollBatch(Set<UUID> tenants) {
        int events = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(ROLL)) {
                ps.setInt(1, batchSize);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        tenants.add(rs.getObject(1, UUID.class));
                        events += rs.getInt(2);
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("rollup failed", e);
        }
        return events;
    }
}
