package dev.tollgate.billing.stripe;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/**
 * Stripe ({@code tollgate.stripe.*}); every Stripe bean requires {@code api-key}.
 *
 * @param apiKey          secret key (pass it as {@code ${STRIPE_API_KEY}}); unset = Stripe off, local invoices
 * @param apiBase         API base URL (tests point it at a local server)
 * @param meterEventsBase meter-events API base URL
 * @param webhookSecret   signing secret of the {@code /webhooks/stripe} endpoint ({@code whsec_…}); unset = webhooks refused
 * @param webhookTolerance how old a webhook signature may be
 * @param meterEventName  the meter's {@code event_name}; the meter sums billed micro-USD per customer
 * @param syncInterval    how often new tenants get a customer and subscription
 * @param reportInterval  how often hourly usage is queued and sent
 * @param settleDelay     an hour is reported this long after it ended (most events are rolled by then)
 * @param lateGrace       usage of a billing period (UTC calendar month) queued within this time after the
 *                        period's end is reported with its own timestamp; later usage goes to the current period
 * @param lookback        how far back rollups are compared with what was reported
 * @param retryBackoff    delay before the first retry of a failed call, doubled per attempt (max 1 h)
 * @param lease           how long a worker owns a claimed row before another may resend it
 */
@ConfigurationProperties("tollgate.stripe")
@Requires(property = "tollgate.stripe.api-key")
public record StripeConfiguration(String apiKey,
                                  @Bindable(defaultValue = "https://api.stripe.com") String apiBase,
                                  @Bindable(defaultValue = "https://meter-events.stripe.com") String meterEventsBase,
                                  @Nullable String webhookSecret,
                                  @Bindable(defaultValue = "5m") Duration webhookTolerance,
                                  @Bindable(defaultValue = "tollgate_billed_usd") String meterEventName,
                                  @Bindable(defaultValue = "15s") Duration syncInterval,
                                  @Bindable(defaultValue = "1m") Duration reportInterval,
                                  @Bindable(defaultValue = "5m") Duration settleDelay,
                                  @Bindable(defaultValue = "1h") Duration lateGrace,
                                  @Bindable(defaultValue = "35d") Duration lookback,
                                  @Bindable(defaultValue = "30s") Duration retryBackoff,
                                  @Bindable(defaultValue = "2m") Duration lease) {

    /** Delay before attempt {@code attempts + 1}: the backoff doubled per earlier attempt, at most one hour. */
    Duration backoff(int attempts) {
        Duration d = retryBackoff.multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 16));
        return d.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : d;
    }

    @Override
    public String toString() {
        return "StripeConfiguration[apiBase=" + apiBase + ", meterEventName=" + meterEventName + "]";
    }
}
