package dev.tollgate.platform.tenant;

import dev.tollgate.platform.key.ApiKeyHasher;
import dev.tollgate.platform.key.ApiKeyToken;
import dev.tollgate.platform.testing.RealServices;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(startApplication = false, transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdbcApiKeyStoreTest implements RealServices {

    @Inject
    DataSource dataSource;
    @Inject
    ApiKeyStore store;
    @Inject
    ApiKeyHasher hasher;

    @Test
    void findsKeyWithScopesAndLimitsOfEveryLevel() throws Exception {
        UUID tenant = UUID.randomUUID();
        UUID project = UUID.randomUUID();
        UUID key = UUID.randomUUID();
        ApiKeyToken token = ApiKeyToken.generate();
        try (Connection c = DelegatingDataSource.unwrapDataSource(dataSource).getConnection()) {
            exec(c, "insert into tenant (id, name, limits) values (?, 'Acme', '{\"rpm\": 100}'::jsonb)", tenant);
            exec(c, "insert into project (id, tenant_id, name, limits) values (?, ?, 'prod', '{\"tokens_per_day\": 5000}'::jsonb)", project, tenant);
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into api_key (id, tenant_id, project_id, public_id, name, secret_hash, scopes, limits)
                    values (?, ?, ?, ?, 'ci', ?, '{"models":["gpt-4o*"],"endpoints":["chat"]}'::jsonb,
                            '{"rpm": 10, "budget_usd_per_month": 12.50}'::jsonb)""")) {
                ps.setObject(1, key);
                ps.setObject(2, tenant);
                ps.setObject(3, project);
                ps.setString(4, token.publicId());
                ps.setBytes(5, hasher.hash(token.secret()));
                ps.executeUpdate();
            }
        }

        ApiKeyGrant grant = store.findByPublicId(token.publicId()).orElseThrow();

        assertEquals(key, grant.keyId());
        assertEquals(tenant, grant.tenantId());
        assertTrue(hasher.matches(token.secret(), grant.secretHash()));
        assertFalse(hasher.matches(ApiKeyToken.generate().secret(), grant.secretHash()));
        assertEquals(10L, grant.keyLimits().rpm());
        assertEquals(0, new java.math.BigDecimal("12.50").compareTo(grant.keyLimits().budgetUsdPerMonth()));
        assertEquals(5000L, grant.projectLimits().tokensPerDay());
        assertEquals(100L, grant.tenantLimits().rpm());
        assertTrue(grant.scopes().allowsModel("gpt-4o-mini"));
        assertFalse(grant.scopes().allowsModel("claude-3-5-sonnet"));
        assertTrue(grant.scopes().allowsEndpoint("chat"));
        assertFalse(grant.scopes().allowsEndpoint("embeddings"));
        assertTrue(store.findByPublicId("nosuchkey123").isEmpty());
    }

    private static void exec(Connection c, String sql, Object... args) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }
}
