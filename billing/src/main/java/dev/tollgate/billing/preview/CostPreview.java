package dev.tollgate.billing.preview;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.util.Map;

/**
 * The answer of the cost preview. Prices are USD decimal strings, rounded once to ten places;
 * {@code total_price} is the whole cost (input, output and per-request or tool charges), and
 * {@code billed_price} that cost times the tenant's markup (1 without a tenant). {@code usage} always
 * has the counts a usage event stores ({@code input_tokens}, {@code cache_read_tokens},
 * {@code cache_write_tokens} split into {@code cache_write_5m_tokens} and {@code cache_write_1h_tokens},
 * {@code output_tokens}, {@code output_reasoning_tokens}, {@code input_audio_tokens},
 * {@code cache_audio_read_tokens}, {@code output_audio_tokens}), zero when absent, and any other
 * count the provider's extractor read.
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
