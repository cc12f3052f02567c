package dev.tollgate.platform.tenant;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Positive;

import java.math.BigDecimal;

/**
 * Limits of a tenant, project or key; a null field means "no limit at this level". When several
 * levels apply to one request, each is enforced and so the strictest wins.
 */
@Serdeable
public record Limits(@Nullable @Positive Long rpm,
                     @Nullable @Positive Long tpm,
                     @Nullable @JsonProperty("max_concurrent") @Positive Long maxConcurrent,
                     @Nullable @JsonProperty("tokens_per_day") @Positive Long tokensPerDay,
                     @Nullable @JsonProperty("tokens_per_month") @Positive Long tokensPerMonth,
                     @Nullable @JsonProperty("budget_usd_per_month") @DecimalMin("0") BigDecimal budgetUsdPerMonth) {

    public static final Limits NONE = new Limits(null, null, null, null, null, null);
}
