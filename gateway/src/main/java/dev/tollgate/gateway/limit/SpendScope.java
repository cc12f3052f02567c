package dev.tollgate.gateway.limit;

import java.time.Instant;
import java.util.UUID;

/**
 * The spend one budget counter holds: a tenant's, one of its projects' or one key's billed
 * amount over {@code [from, to)} (the tenant's calendar month).
 *
 * @param level {@code key}, {@code project} or {@code tenant}
 * @param id    the key's, project's or tenant's id
 */
public record SpendScope(UUID tenantId, String level, UUID id, Instant from, Instant to) {
}
