package dev.tollgate.billing.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

/**
 * A user's switches for billing's optional mails. As a command, an omitted switch keeps its
 * value; as a view, every switch is present.
 */
@Serdeable(naming = SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record MailPreferences(@Nullable String email, @Nullable Boolean spendSpike, @Nullable Boolean weeklyReport) {
}
