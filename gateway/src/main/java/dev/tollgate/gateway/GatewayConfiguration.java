package dev.tollgate.gateway;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Request handling settings, {@code tollgate.gateway.*}.
 *
 * @param maxBodyBytes     largest accepted request body (default 10 MiB); Micronaut's own
 *                         {@code micronaut.server.max-request-size} must be at least as large
 * @param maxTokensLimit   largest {@code max_tokens} a caller may ask for (default 262144); more is a 400
 * @param defaultMaxTokens output tokens assumed when a caller sets no {@code max_tokens}: reserved
 *                         against token limits, and sent to Anthropic, which requires the field (default 4096)
 */
@ConfigurationProperties("tollgate.gateway")
public record GatewayConfiguration(@Bindable(defaultValue = "10485760") long maxBodyBytes,
                                   @Bindable(defaultValue = "262144") int maxTokensLimit,
                                   @Bindable(defaultValue = "4096") int defaultMaxTokens,
                                   @Bindable(defaultValue = "60s") java.time.Duration disconnectDrain) {
}
