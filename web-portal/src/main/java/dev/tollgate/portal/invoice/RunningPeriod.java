package dev.tollgate.portal.invoice;

import dev.tollgate.tenant.web.Db;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The lines of a tenant's period so far from the hourly rollups, as an invoice draws them: one
 * per provider and model with usage, each rounded to the cent, the total being their sum.
 * Blocking: call from the blocking executor.
 */
@Singleton
public class RunningPeriod {

    private final Db db;

    public RunningPeriod(Db db) {
        this.db = db;
    }

    public List<PeriodLine> lines(UUID tenantId, Instant from, Instant to) {
        return db.read(c -> {
            try (PreparedStatement ps = Db.prepare(c, """
                    select provider, model, sum(requests), sum(input_tokens), sum(output_tokens), sum(billed_usd)
                      from usage_rollup
                     where granularity = 'h' and tenant_id = ? and bucket_start >= ? and bucket_start < ?
                     group by provider, model having sum(requests) > 0
                     order by provider, model""", tenantId, from, to);
                 ResultSet rs = ps.executeQuery()) {
                List<PeriodLine> lines = new ArrayList<>();
                while (rs.next()) {
                    lines.add(new PeriodLine(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                            rs.getBigDecimal(6).setScale(2, RoundingMode.HALF_UP)));
                }
                return lines;
            }
        });
    }

    public static BigDecimal total(List<PeriodLine> lines) {
        return lines.stream().map(PeriodLine::amountUsd).reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
    }
}
