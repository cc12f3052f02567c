package dev.tollgate.billing.preview;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.util.Map;

/**
 * The answer of the cost preview. Prices are USD decimal strings, rounded once to ten places;
 * {@code total_price} is the whole cost (input, output and per-request or tool charges), and
 * {@code billed_price} that cost times the tenant's markup (1 without a tenant).
 *
 * @param priceSource the price row used, e.g. {@code genai-prices@47df840:openai/gpt-4o}
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record CostPreview(String provider,
                          String apiFlavor,
                          String model,
                          Map<String, Long> usage,
                          String inputPrice,
                          String outputPrice,
                          String totalPrice,
                          String billedPrice,
                          String priceSource,
                          Map<String, Long> chargedUnits) {
}
