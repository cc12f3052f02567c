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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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

    /** The rollup statement, shared with the usage-query benchmark; its one bind parameter is the batch size. */
    private static final String ROLL = statement("roll.sql");

    private static String statement(String resource) {
        try (InputStream in = UsageRollupWorker.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " missing beside " + UsageRollupWorker.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
