package dev.tollgate.billing.testing;

import dev.tollgate.platform.security.Role;
import dev.tollgate.platform.security.TenantUser;
import dev.tollgate.platform.usage.TokenUsage;
import dev.tollgate.platform.usage.TokenUsageColumns;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.generator.TokenGenerator;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Rows the other modules would create (tenants, projects, keys, usage events) and session tokens; a bean of the test's context. */
@Singleton
public final class Fixtures {

    private final DataSource dataSource;
    private final TokenGenerator tokens;

    public Fixtures(DataSource dataSource, TokenGenerator tokens) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.tokens = tokens;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public UUID tenant(String markup, String timeZone) {
        UUID id = UUID.randomUUID();
        exec("insert into tenant (id, name, markup, time_zone) values (?, 'T', ?::numeric, ?)", id, markup, timeZone);
        return id;
    }

    public UUID project(UUID tenant) {
        UUID id = UUID.randomUUID();
        exec("insert into project (id, tenant_id, name) values (?, ?, ?)", id, tenant, "p-" + id);
        return id;
    }

    public UUID key(UUID tenant, UUID project) {
        UUID id = UUID.randomUUID();
        exec("insert into api_key (id, tenant_id, project_id, public_id, name, secret_hash) values (?, ?, ?, ?, 'k', '\\x00'::bytea)",
                id, tenant, project, id.toString().replace("-", "").substring(0, 12));
        return id;
    }

    /** A usage event as the gateway writes it when it could not price it. */
    public String event(UUID tenant, UUID project, UUID key, String provider, String model, Instant at, long input, long cached,
                        long output, long reasoning) {
        String requestId = "req_" + UUID.randomUUID();
        exec("""
                insert into usage_event (request_id, occurred_at, tenant_id, project_id, api_key_id, endpoint, model_requested,
                                         model_served, provider, status, input_tokens, cached_input_tokens, output_tokens, reasoning_tokens)
                values (?, ?, ?, ?, ?, 'chat', ?, ?, ?, 200, ?, ?, ?, ?)""",
                requestId, Timestamp.from(at), tenant, project, key, model, model, provider, input, cached, output, reasoning);
        return requestId;
    }

    /** A usage event with every count a gateway stores, unpriced. */
    public String event(UUID tenant, String provider, String model, Instant at, TokenUsage usage) {
        String requestId = "req_" + UUID.randomUUID();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into usage_event (request_id, occurred_at, tenant_id, endpoint, model_requested, model_served, provider, status,
                                         %s)
                values (?, ?, ?, 'chat', ?, ?, ?, 200, %s)""".formatted(TokenUsageColumns.LIST,
                "?, ".repeat(TokenUsageColumns.COUNT - 1) + "?"))) {
            bind(ps, requestId, Timestamp.from(at), tenant, model, model, provider);
            TokenUsageColumns.bind(ps, 7, usage);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return requestId;
    }

    /** A bearer token for a user of {@code tenant} with {@code role}. */
    public String token(UUID tenant, Role role) {
        TenantUser user = new TenantUser(UUID.randomUUID(), tenant, role, role.wireName() + "@example.com");
        return tokens.generateToken(Authentication.build(user.userId().toString(), List.of(role.wireName()), user.claims()), 3600)
                .orElseThrow();
    }

    public String text(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public void exec(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }
}
