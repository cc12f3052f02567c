package dev.tollgate.tenant.operator;

import dev.tollgate.platform.tenant.Limits;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Pattern;

import java.math.BigDecimal;

/**
 * {@code PATCH /admin/v1/tenants/{id}}: the plan name, the price markup (a factor: 1.2 bills
 * provider cost plus 20 %) and the tenant-wide limits; absent fields stay as they are.
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record TenantPatch(@Nullable @Pattern(regexp = "[a-z0-9][a-z0-9_-]{0,39}", message = "must be 1 to 40 lower-case letters, digits, - or _") String plan,
                          @Nullable @DecimalMin(value = "0", inclusive = false) @DecimalMax("100") @Digits(integer = 6, fraction = 4) BigDecimal markup,
                          @Nullable @Valid Limits limits) {
}
