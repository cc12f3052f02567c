package dev.tollgate.portal.dashboard;

import dev.tollgate.tenant.web.Db;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;

/** The tenant's monthly USD budget, from the tenant's limits ({@code budget_usd_per_month}). */
@Singleton
public class Budgets {

    private final Db db;

    public Budgets(Db db) {
        this.db = db;
    }

    @Nullable
    public BigDecimal monthlyBudget(UUID tenantId) {
        return db.read(c -> {
            try (PreparedStatement ps = Db.prepare(c, "select (limits ->> 'budget_usd_per_month')::numeric from tenant where id = ?", tenantId);
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBigDecimal(1) : null;
            }
        });
    }
}
