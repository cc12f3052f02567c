package dev.tollgate.gateway.route;

import dev.tollgate.gateway.GatewayCalls;
import dev.tollgate.gateway.GatewayTest;
import dev.tollgate.gateway.GatewayTestSupport;
import dev.tollgate.platform.security.Role;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
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
class RouteChangeAcrossReplicasTest extends GatewayTest {

    GatewayTestSupport.TestKey key;
    String admin;

    @Override
    public Map<String, String> extraProperties() {
        return GatewayTestSupport.gatewayProperties("tollgate.routing.route-cache-ttl", "1h");
    }

    @BeforeAll
    void setUp() throws Exception {
        key = createKey();
        admin = token(key, Role.ADMIN);
        calls.exec("update api_key set route_name = 'shared' where id = ?", key.keyId());
    }

    @Test
    void aChangeOnOneReplicaIsFollowedByTheOtherWithinASecond() throws Exception {
        assertEquals(200, calls.send("PUT", "/api/v1/routes/shared", admin, RouteBodies.ANTHROPIC_ONLY).statusCode());
        try (EmbeddedServer b = startReplica()) {
            GatewayCalls callsB = new GatewayCalls(b.getURL().toString(), dataSource);
            assertEquals("anthropic", provider(callsB), "B reads and caches the route");

            assertEquals(200, calls.send("PUT", "/api/v1/routes/shared", admin, RouteBodies.GEMINI_ONLY).statusCode());
            assertEquals("gemini", providerWithin(callsB, "gemini", 1_000), "B follows the change made through A");

            // a project route of the same name shadows the tenant's: its creation also reaches B
            assertEquals(200, calls.send("PUT", "/api/v1/routes/shared?project_id=" + key.projectId(), admin, RouteBodies.ANTHROPIC_ONLY)
                    .statusCode());
            assertEquals("anthropic", providerWithin(callsB, "anthropic", 1_000));

            assertEquals(204, calls.send("DELETE", "/api/v1/routes/shared?project_id=" + key.projectId(), admin, null).statusCode());
            assertEquals(204, calls.send("DELETE", "/api/v1/routes/shared", admin, null).statusCode());
            assertEquals("openai", providerWithin(callsB, "openai", 1_000), "deleted: B is back to plain model routing");

            // and the other way round: a change through B reaches A
            assertEquals("openai", provider(calls));
            HttpResponse<String> put = callsB.send("PUT", "/api/v1/routes/shared", admin, RouteBodies.GEMINI_ONLY);
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
