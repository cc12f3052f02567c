package dev.tollgate.portal.usage;

import io.micronaut.core.annotation.Nullable;

import java.time.LocalDate;
import java.util.UUID;

/**
 * What the usage explorer and the request log select: a range of days (inclusive, in the
 * tenant's time zone) and optional project, key, model and outcome ({@code ok} or {@code error}).
 */
public record UsageFilter(LocalDate from, LocalDate to, @Nullable UUID projectId, @Nullable UUID keyId,
                          @Nullable String model, @Nullable String outcome) {
}
