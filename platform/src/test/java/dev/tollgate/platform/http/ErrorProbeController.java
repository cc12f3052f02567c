package dev.tollgate.platform.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** Endpoints that fail in every way the error handling must cover. */
@Controller("/probe")
@Requires(property = "probe.enabled", value = "true")
@Secured(SecurityRule.IS_ANONYMOUS)
class ErrorProbeController {

    @Serdeable
    record Order(@NotBlank String name, @Positive Integer quantity, @Nullable @Valid Contact contact) {
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    record Contact(@Email String emailAddress) {
    }

    @Post("/orders")
    Map<String, Object> order(@Valid @Body Order order) {
        return Map.of("name", order.name(), "quantity", order.quantity());
    }

    @Get("/orders/{id}")
    Map<String, Object> find(@PathVariable UUID id) {
        return Map.of("id", id.toString());
    }

    @Get("/search")
    Map<String, Object> search(@QueryValue int limit) {
        return Map.of("limit", limit);
    }

    @Get("/limited")
    Map<String, Object> limited() {
        throw ApiException.rateLimited("too many requests, slow down", "rate_limited", Duration.ofMillis(2500));
    }

    @Get("/boom")
    Map<String, Object> boom() {
        throw new IllegalStateException("database password is hunter2");
    }

    @Get("/private")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    Map<String, Object> secret() {
        return Map.of("ok", true);
    }
}
