package dev.tollgate.gateway.limit;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;

/**
 * What a tenant, project or key has been billed over a period, read from {@code usage_event}:
 * the source of truth a budget counter is seeded from when Redis has lost it. Blocking JDBC.
 */
@Singleton
public class SpendLedger {

    private static final String SUM = "select coalesce(sum(billed_usd), 0) from usage_event"
            + " where tenant_id = ? and occurred_at >= ? and occurred_at < ?";

    private final DataSource dataSource;

    public SpendLedger(DataSource dataSource) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    /** The billed USD of {@code scope} (events without a price count as nothing). */
    public BigDecimal billed(SpendScope scope) {
        String sql = switch (scope.level()) {
            case "key" -> SUM + " and api_key_id = ?";
            case "project" -> SUM + " and project_id = ?";
            default -> SUM;
        };
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, scope.tenantId());
            ps.setTimestamp(2, Timestamp.from(scope.from()));
            ps.setTimestamp(3, Timestamp.from(scope.to()));
            if (!scope.level().equals("tenant")) {
                ps.setObject(4, scope.id());
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBigDecimal(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("spend lookup failed", e);
        }
    }
}
