package dev.tollgate.platform.mail;

import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.UUID;

/**
 * An e-mail to send: plain text always, HTML optionally. {@code dedupKey}, when set, makes
 * enqueueing idempotent (a budget threshold alert for one period, say, is queued once however
 * many replicas try).
 */
public record Mail(@Nullable UUID tenantId,
                   List<String> to,
                   String subject,
                   String text,
                   @Nullable String html,
                   String kind,
                   @Nullable String dedupKey) {
}
