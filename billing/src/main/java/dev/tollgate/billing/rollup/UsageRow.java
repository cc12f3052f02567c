package dev.tollgate.billing.rollup;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

/**
 * One group of the usage query. {@code cost_usd} is what the tenant is billed (provider cost
 * times the plan's markup), a decimal string; {@code unpriced_requests} counts requests whose
 * model had no price (not included in the cost). The counts nest as on usage events:
 * {@code cache_write_1h_tokens} is part of {@code cache_write_tokens}, {@code input_audio_tokens}
 * of {@code input_tokens}, {@code cached_input_audio_tokens} of {@code cached_input_tokens} and
 * {@code input_audio_tokens}, {@code output_audio_tokens} of {@code output_tokens} (the snake-case
 * strategy would write {@code cache_write1h_tokens}, hence the explicit name).
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record UsageRow(String group, long requests, long inputTokens, long cachedInputTokens, long outputTokens,
                       long reasoningTokens, String costUsd, long unpricedRequests, long cacheWriteTokens,
                       @JsonProperty("cache_write_1h_tokens") long cacheWrite1hTokens, long inputAudioTokens,
                       long cachedInputAudioTokens, long outputAudioTokens) {
}
