package dev.tollgate.billing.budget;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A monthly budget of one scope ({@code tenant}, {@code project} or {@code key}).
 *
 * @param thresholds fractions of {@code monthlyUsd} that trigger an e-mail (0.5, 0.8, 1.0 …)
 */
public record Budget(UUID id, UUID tenantId, String scope, UUID scopeId, BigDecimal monthlyUsd, List<BigDecimal> thresholds,
                     List<String> alertEmails, boolean hardCap, Instant updatedAt) {

    public static final List<BigDecimal> DEFAULT_THRESHOLDS =
            List.of(new BigDecimal("0.5"), new BigDecimal("0.8"), new BigDecimal("1.0"));
}
