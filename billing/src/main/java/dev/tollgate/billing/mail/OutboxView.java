package dev.tollgate.billing.mail;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A mail of the outbox with its delivery state. */
@Serdeable(naming = SnakeCaseStrategy.class)
public record OutboxView(UUID id, @Nullable UUID tenantId, List<String> recipients, String subject, String bodyText,
                         @Nullable String bodyHtml, String kind, String status, int attempts, @Nullable String lastError,
                         Instant createdAt, @Nullable Instant sentAt) {
}
