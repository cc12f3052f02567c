package dev.tollgate.billing.stripe;

import com.stripe.StripeClient;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/** The {@link StripeClient} of this installation; network retries are the outboxes' job, not the client's. */
@Factory
@Requires(property = "tollgate.stripe.api-key")
public class StripeClientFactory {

    @Singleton
    StripeClient stripeClient(StripeConfiguration config) {
        return StripeClient.builder()
                .setApiKey(config.apiKey())
                .setApiBase(config.apiBase())
                .setMeterEventsBase(config.meterEventsBase())
                .setMaxNetworkRetries(0)
                .setConnectTimeout(10_000)
                .setReadTimeout(30_000)
                .build();
    }
}
