package dev.tollgate.gateway;

import dev.tollgate.platform.key.ApiKeyHasher;
import dev.tollgate.platform.security.Role;
import dev.tollgate.platform.testing.RealServices;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.security.token.generator.TokenGenerator;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;

import javax.sql.DataSource;
import java.util.HashMap;
import java.util.Map;

/**
 * Base of a gateway {@code @MicronautTest} (with {@code @TestInstance(PER_CLASS)}): its own database and Redis
 * prefix, providers pointed at the simulator. The properties are made once, so that a replica or a restart
 * started from {@link #getProperties()} shares the database and prefix of the test's gateway.
 */
public abstract class GatewayTest implements RealServices {

    @Inject
    protected EmbeddedServer server;
    @Inject
    protected DataSource dataSource;
    @Inject
    protected ApiKeyHasher hasher;
    @Inject
    protected TokenGenerator tokens;

    /** Calls to the test's gateway, ready before the test class's own {@code @BeforeAll}. */
    protected GatewayCalls calls;

    private Map<String, String> properties;

    @Override
    public synchronized Map<String, String> getProperties() {
        if (properties == null) {
            properties = new HashMap<>(RealServices.super.getProperties());
        }
        return properties;
    }

    @Override
    public Map<String, String> extraProperties() {
        return GatewayTestSupport.gatewayProperties();
    }

    @BeforeAll
    protected void callTheGateway() {
        calls = new GatewayCalls(server.getURL().toString(), dataSource);
    }

    /** Another gateway sharing this test's database and Redis prefix; see {@link GatewayTestSupport#startReplica}. */
    protected EmbeddedServer startReplica(String... namesAndValues) {
        return GatewayTestSupport.startReplica(getProperties(), namesAndValues);
    }

    /** A new tenant with a project and a key without limits. */
    protected GatewayTestSupport.TestKey createKey() throws Exception {
        return GatewayTestSupport.createKey(dataSource, hasher);
    }

    /** A new tenant with a project and a key carrying the given limits (JSON) and scopes. */
    protected GatewayTestSupport.TestKey createKey(String tenantLimits, String projectLimits, String keyLimits,
                                                   String scopes) throws Exception {
        return GatewayTestSupport.createKey(dataSource, hasher, tenantLimits, projectLimits, keyLimits, scopes);
    }

    /** A bearer token of a user with {@code role} in the key's tenant. */
    protected String token(GatewayTestSupport.TestKey key, Role role) {
        return TestJwt.token(tokens, key.tenantId(), role);
    }
}
