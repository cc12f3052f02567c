package dev.tollgate.gateway.route;

import dev.tollgate.gateway.GatewayCalls;
import dev.tollgate.gateway.GatewayTestSupport;
import dev.tollgate.gateway.TestJwt;
import dev.tollgate.platform.key.ApiKeyHasher;
import dev.tollgate.platform.security.Role;
import dev.tollgate.platform.testing.RealServices;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.security.token.generator.TokenGenerator;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two gateway replicas on one PostgreSQL and Redis, each caching stored routes for an hour: a
 * route changed or deleted through replica A is followed by replica B within a second, which only
 * the pub/sub invalidation can explain.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouteChangeAcrossReplicasTest implements RealServices {

    static final String ANTHROPIC_ONLY = "{\"targets\":[{\"provider\":\"anthropic\",\"model\":\"claude-3-5-haiku-latest\"}]}";
    static final String GEMINI_ONLY = "{\"targets\":[{\"provider\":\"gemini\",\"model\":\"gemini-2.0-flash\"}]}";

    @Inject
    EmbeddedServer server;
    @Inject
    Environment environment;
    @Inject
    DataSource dataSource;
    @Inject
    ApiKeyHasher hasher;
    @Inject
    TokenGenerator tokens;

    GatewayCalls calls;
    GatewayTestSupport.TestKey key;
    String admin;

    @Override
    public Map<String, String> extraProperties() {
        Map<String, String> p = new HashMap<>(GatewayTestSupport.gatewayProperties());
        p.put("tollgate.routing.route-cache-ttl", "1h");
        return p;
    }

    @BeforeAll
    void setUp() throws Exception {
        calls = new GatewayCalls(server.getURL().toString(), dataSource);
        key = GatewayTestSupport.createKey(dataSource, hasher);
        admin = TestJwt.token(tokens, key.tenantId(), Role.ADMIN);
        calls.exec("update api_key set route_name = 'shared' where id = ?", key.keyId());
    }

    /** Replica B: same database, Redis and prefix, secrets and providers; a journal of its own. */
    private Map<String, Object> replicaB() {
        Map<String, Object> props = new HashMap<>(GatewayTestSupport.gatewayProperties());
        for (String name : new String[] {"datasources.default.url", "datasources.default.username", "datasources.default.password",
                "datasources.default.driver-class-name", "datasources.default.dialect", "redis.uri", "tollgate.redis.prefix",
                "tollgate.master-key", "micronaut.security.token.jwt.signatures.secret.generator.secret", "tollgate.admin-token",
                "tollgate.routing.route-cache-ttl"}) {
            environment.getProperty(name, String.class).ifPresent(v -> props.put(name, v));
        }
        props.put("flyway.datasources.default.enabled", "false");
        props.put("micronaut.server.port", "-1");
        return props;
    }

    @Test
    void aChangeOnOneReplicaIsFollowedByTheOtherWithinASecond() throws Exception {
        assertEquals(200, calls.send("PUT", "/api/v1/routes/shared", admin, ANTHROPIC_ONLY).statusCode());
        try (EmbeddedServer b = ApplicationContext.run(EmbeddedServer.class, replicaB())) {
            GatewayCalls callsB = new GatewayCalls(b.getURL().toString(), dataSource);
            assertEquals("anthropic", provider(callsB), "B reads and caches the route");

            assertEquals(200, calls.send("PUT", "/api/v1/routes/shared", admin, GEMINI_ONLY).statusCode());
            assertEquals("gemini", providerWithin(callsB, "gemini", 1_000), "B follows the change made through A");

            // a project route of the same name shadows the tenant's: its creation also reaches B
            assertEquals(200, calls.send("PUT", "/api/v1/routes/shared?project_id=" + key.projectId(), admin, ANTHROPIC_ONLY)
                    .statusCode());
            assertEquals("anthropic", providerWithin(callsB, "anthropic", 1_000));

            assertEquals(204, calls.send("DELETE", "/api/v1/routes/shared?project_id=" + key.projectId(), admin, null).statusCode());
            assertEquals(204, calls.send("DELETE", "/api/v1/routes/shared", admin, null).statusCode());
            assertEquals("openai", providerWithin(callsB, "openai", 1_000), "deleted: B is back to plain model routing");

            // and the other way round: a change through B reaches A
            assertEquals("openai", provider(calls));
            HttpResponse<String> put = callsB.send("PUT", "/api/v1/routes/shared", admin, GEMINI_ONLY);
            assertEquals(200, put.statusCode(), put.body());
            assertEquals("gemini", providerWithin(calls, "gemini", 1_000));
        }
    }

    private String provider(GatewayCalls on) throws Exception {
        HttpResponse<String> r = on.chat(key.value(), GatewayCalls.chatBody("gpt-4o-mini", "hi", false));
        assertEquals(200, r.statusCode(), r.body());
        return r.headers().firstValue("x-tollgate-provider").orElseThrow();
    }

    /** The provider serving the key once {@code expected} shows, or the last one seen after {@code millis}. */
    private String providerWithin(GatewayCalls on, String expected, long millis) throws Exception {
        long start = System.currentTimeMillis();
        String seen = provider(on);
        while (!seen.equals(expected) && System.currentTimeMillis() - start < millis) {
            Thread.sleep(20);
            seen = provider(on);
        }
        assertTrue(System.currentTimeMillis() - start < millis + 500, "took " + (System.currentTimeMillis() - start) + " ms");
        return seen;
    }
}
