package dev.tollgate.billing.report;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Spend-spike alert and weekly report ({@code tollgate.billing.reports.*}).
 *
 * @param spikeFactor    today's spend must exceed this multiple of the trailing seven-day daily average
 * @param spikeMinUsd    and be at least this much (USD), so that small amounts never alert
 * @param weeklyHour     local hour (tenant time zone) on Monday from which the weekly report is sent
 * @param weeklyInterval how often the weekly report job looks for tenants whose Monday has come
 */
@ConfigurationProperties("tollgate.billing.reports")
public record ReportConfiguration(@Bindable(defaultValue = "3") BigDecimal spikeFactor,
                                  @Bindable(defaultValue = "1") BigDecimal spikeMinUsd,
                                  @Bindable(defaultValue = "8") int weeklyHour,
                                  @Bindable(defaultValue = "15m") Duration weeklyInterval) {
}
