package dev.tollgate.tenant.operator;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.Map;

/**
 * Body of {@code POST /admin/v1/provider-credentials} (provider, name and api_key required) and
 * of {@code PATCH …/{id}} (each field present replaces the stored one; provider cannot change).
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record ProviderCredentialCommand(
        @Nullable @Pattern(regexp = "[a-z0-9][a-z0-9_.-]{0,39}", message = "must be 1 to 40 lower-case letters, digits, ., - or _") String provider,
        @Nullable @Size(min = 1, max = 100) @Pattern(regexp = ".*\\S.*", message = "must not be blank") String name,
        @Nullable @Size(min = 8, max = 4096) @Pattern(regexp = "\\S+", message = "must not contain spaces") String apiKey,
        @Nullable @Size(max = 2048) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") String baseUrl,
        @Nullable @Size(max = 50) Map<String, Object> settings) {

    @Override
    public String toString() {
        return "ProviderCredentialCommand[provider=" + provider + ", name=" + name + ", api_key=***]";
    }
}
