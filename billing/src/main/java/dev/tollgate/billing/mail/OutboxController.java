package dev.tollgate.billing.mail;

import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.security.TenantUser;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The outbox as a mailbox, newest first: every mail for operators ({@code GET /admin/v1/outbox},
 * admin token), a tenant's own mails for its users ({@code GET /api/v1/mailbox}).
 */
@Tag(name = "Mail")
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "tollgate.billing.enabled", notEquals = "false")
public class OutboxController {

    private static final Set<String> STATUSES = Set.of("queued", "sent", "failed", "held");
    private final DataSource dataSource;

    public OutboxController(DataSource dataSource) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    @Operation(summary = "Every outgoing mail, newest first (operator)",
            security = @SecurityRequirement(name = "adminToken"))
    @Get("/admin/v1/outbox")
    @Secured(SecurityRule.IS_ANONYMOUS)
    public Map<String, List<OutboxView>> outbox(@QueryValue @Nullable String status, @QueryValue("tenant_id") @Nullable String tenantId,
                                                @QueryValue @Nullable Integer limit) {
        UUID tenant = null;
        if (tenantId != null) {
            try {
                tenant = UUID.fromString(tenantId);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("tenant_id must be a UUID", "tenant_id");
            }
        }
        return Map.of("data", list(tenant, status, limit));
    }

    @Operation(summary = "The tenant's own mails, newest first",
            security = @SecurityRequirement(name = "tenantToken"))
    @Get("/api/v1/mailbox")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    public Map<String, List<OutboxView>> mailbox(Authentication auth, @QueryValue @Nullable Integer limit) {
        return Map.of("data", list(TenantUser.from(auth).tenantId(), null, limit));
    }

    private List<OutboxView> list(@Nullable UUID tenantId, @Nullable String status, @Nullable Integer limit) {
        if (status != null && !STATUSES.contains(status)) {
            throw ApiException.badRequest("status must be one of " + STATUSES, "status");
        }
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > 1000) {
            throw ApiException.badRequest("limit must be between 1 and 1000", "limit");
        }
        String sql = """
                select id, tenant_id, recipients, subject, body_text, body_html, kind, status, attempts, last_error, created_at, sent_at
                  from mail_outbox where (?::uuid is null or tenant_id = ?::uuid) and (?::text is null or status = ?::text)
                 order by created_at desc, id limit ?""";
        List<OutboxView> list = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, tenantId);
            ps.setObject(2, tenantId);
            ps.setString(3, status);
            ps.setString(4, status);
            ps.setInt(5, n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp sent = rs.getTimestamp(12);
                    list.add(new OutboxView(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            Arrays.asList((String[]) rs.getArray(3).getArray()), rs.getString(4), rs.getString(5), rs.getString(6),
                            rs.getString(7), rs.getString(8), rs.getInt(9), rs.getString(10), rs.getTimestamp(11).toInstant(),
                            sent == null ? null : sent.toInstant()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the outbox", e);
        }
        return list;
    }
}
