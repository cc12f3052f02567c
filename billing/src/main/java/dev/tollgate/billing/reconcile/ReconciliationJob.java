package dev.tollgate.billing.reconcile;

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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Reconciles the last {@code tollgate.billing.reconciliation-days} completed UTC days (default 2)
 * every {@code tollgate.billing.reconciliation-interval} (default 6 h). A PostgreSQL advisory
 * lock lets one replica run it at a time; differences are logged and stored by {@link Reconciler}.
 */
@Singleton
@Requires(property = "tollgate.billing.enabled", notEquals = "false")
public class ReconciliationJob {

    private static final Logger LOG = LoggerFactory.getLogger(ReconciliationJob.class);
    private static final long LOCK = 0x746f6c6c7265636fL; // "tollreco"

    private final DataSource dataSource;
    private final Reconciler reconciler;
    private final int days;

    public ReconciliationJob(DataSource dataSource, Reconciler reconciler,
                             @Value("${tollgate.billing.reconciliation-days:2}") int days) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.reconciler = reconciler;
        this.days = days;
    }

    @Scheduled(fixedDelay = "${tollgate.billing.reconciliation-interval:6h}", initialDelay = "${tollgate.billing.reconciliation-interval:6h}")
    void scheduled() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            LOG.error("reconciliation failed; retried next cycle", e);
        }
    }

    /** Runs unless another replica holds the lock; the report, or empty when skipped. */
    public Optional<ReconciliationReport> runOnce() {
        try (Connection c = dataSource.getConnection()) {
            if (!lock(c, "select pg_try_advisory_lock(?)")) {
                return Optional.empty();
            }
            try {
                LocalDate today = LocalDate.now(ZoneOffset.UTC);
                ReconciliationReport report = reconciler.run(today.minusDays(days), today, "scheduled");
                LOG.info("reconciliation of {} to {}: {} differences", report.from(), report.to(), report.differences().size());
                return Optional.of(report);
            } finally {
                lock(c, "select pg_advisory_unlock(?)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reconciliation lock failed", e);
        }
    }

    private static boolean lock(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, LOCK);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
