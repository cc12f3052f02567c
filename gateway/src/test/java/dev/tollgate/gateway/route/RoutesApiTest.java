package dev.tollgate.gateway.route;

import dev.tollgate.gateway.GatewayCalls;
import dev.tollgate.gateway.GatewayTest;
import dev.tollgate.gateway.GatewayTestSupport;
import dev.tollgate.platform.security.Role;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/v1/routes}: validation, roles, tenant isolation, and a key's default route on the request path. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoutesApiTest extends GatewayTest {

    @Inject
    JsonMapper json;

    GatewayTestSupport.TestKey acme;
    GatewayTestSupport.TestKey other;
    String admin;
    String member;
    String otherAdmin;

    @BeforeAll
    void setUp() throws Exception {
        acme = createKey();
        other = createKey();
        admin = token(acme, Role.ADMIN);
        member = token(acme, Role.MEMBER);
        otherAdmin = token(other, Role.OWNER);
    }

    Map<String, Object> map(HttpResponse<String> r) throws Exception {
        return json.readValue(r.body(), Argument.mapOf(String.class, Object.class));
    }

    @Test
    void putGetListDelete() throws Exception {
        HttpResponse<String> put = calls.send("PUT", "/api/v1/routes/resilient", admin, """
                {"strategy":{"mode":"fallback"},"retry":{"attempts":2},
                 "targets":[{"provider":"openai","model":"gpt-4o-mini","timeout_ms":2000},{"provider":"anthropic"}],
                 "cache":{"mode":"semantic","ttl_seconds":600}}""");
        assertEquals(200, put.statusCode(), put.body());
        Map<String, Object> view = map(put);
        assertEquals("resilient", view.get("name"));
        assertEquals(null, view.get("project_id"));
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) view.get("config");
        assertEquals(Map.of("attempts", 2, "on_status_codes", List.of(429, 500, 502, 503, 504)), config.get("retry"));
        assertEquals(Map.of("mode", "semantic", "ttl_seconds", 600, "threshold", RouteConfig.DEFAULT_THRESHOLD, "multi_turn", false), config.get("cache"));

        HttpResponse<String> get = calls.send("GET", "/api/v1/routes/resilient", member, null);
        assertEquals(200, get.statusCode(), get.body());
        assertEquals(config, map(get).get("config"));

        assertEquals(200, calls.send("PUT", "/api/v1/routes/resilient?project_id=" + acme.projectId(), admin, RouteBodies.ANTHROPIC_ONLY).statusCode());
        List<?> listed = (List<?>) map(calls.send("GET", "/api/v1/routes", member, null)).get("data");
        assertEquals(2, listed.size());
        assertEquals(acme.projectId().toString(), ((Map<?, ?>) listed.get(1)).get("project_id"));

        assertEquals(204, calls.send("DELETE", "/api/v1/routes/resilient?project_id=" + acme.projectId(), admin, null).statusCode());
        assertEquals(404, calls.send("GET", "/api/v1/routes/resilient?project_id=" + acme.projectId(), admin, null).statusCode());
        assertEquals(200, calls.send("GET", "/api/v1/routes/resilient", admin, null).statusCode(), "the tenant-wide route stays");
    }

    @Test
    void validationIsPrecise() throws Exception {
        HttpResponse<String> r = calls.send("PUT", "/api/v1/routes/bad", admin,
                "{\"targets\":[{\"provider\":\"openai\"},{\"provider\":\"anthropic\",\"weight\":0}]}");
        assertEquals(400, r.statusCode());
        Map<?, ?> error = (Map<?, ?>) map(r).get("error");
        assertEquals("targets[1].weight", error.get("param"));
        assertEquals("invalid_route_config", error.get("code"));
        assertTrue(((String) error.get("message")).contains("targets[1].weight must be a number greater than 0"), r.body());
        r = calls.send("PUT", "/api/v1/routes/bad", admin, "{\"targets\":[{\"provider\":\"mystery\"}]}");
        assertEquals("targets[0].provider", ((Map<?, ?>) map(r).get("error")).get("param"));
        assertEquals(400, calls.send("PUT", "/api/v1/routes/bad", admin, "{\"targets\":").statusCode());
        assertEquals(400, calls.send("PUT", "/api/v1/routes/bad%20name", admin, RouteBodies.ANTHROPIC_ONLY).statusCode());
        assertEquals(400, calls.send("PUT", "/api/v1/routes/ok?project_id=nope", admin, RouteBodies.ANTHROPIC_ONLY).statusCode());
    }

    @Test
    void rolesAndTenantIsolation() throws Exception {
        assertEquals(200, calls.send("PUT", "/api/v1/routes/mine", admin, RouteBodies.ANTHROPIC_ONLY).statusCode());
        HttpResponse<String> r = calls.send("PUT", "/api/v1/routes/mine", member, RouteBodies.GEMINI_ONLY);
        assertEquals(403, r.statusCode(), r.body());
        assertEquals(403, calls.send("DELETE", "/api/v1/routes/mine", member, null).statusCode());
        assertEquals(401, calls.send("GET", "/api/v1/routes/mine", null, null).statusCode());
        assertEquals(401, calls.send("GET", "/api/v1/routes/mine", "not-a-jwt", null).statusCode());

        assertEquals(404, calls.send("GET", "/api/v1/routes/mine", otherAdmin, null).statusCode(), "another tenant's route");
        assertEquals(404, calls.send("DELETE", "/api/v1/routes/mine", otherAdmin, null).statusCode());
        assertEquals(404, calls.send("PUT", "/api/v1/routes/mine?project_id=" + acme.projectId(), otherAdmin, RouteBodies.GEMINI_ONLY).statusCode(),
                "another tenant's project");
        assertEquals(404, calls.send("GET", "/api/v1/routes/x?project_id=" + UUID.randomUUID(), admin, null).statusCode());
        // the other tenant's own route of the same name is its own
        assertEquals(200, calls.send("PUT", "/api/v1/routes/mine", otherAdmin, RouteBodies.GEMINI_ONLY).statusCode());
        assertTrue(calls.send("GET", "/api/v1/routes/mine", admin, null).body().contains("anthropic"));
        assertEquals(0, ((List<?>) map(calls.send("GET", "/api/v1/routes", otherAdmin, null)).get("data")).stream()
                .filter(v -> ((Map<?, ?>) v).get("config").toString().contains("anthropic")).count());
    }

    @Test
    void aKeyFollowsItsDefaultRouteProjectFirst() throws Exception {
        assertEquals(200, calls.send("PUT", "/api/v1/routes/default", admin, RouteBodies.ANTHROPIC_ONLY).statusCode());
        calls.exec("update api_key set route_name = 'default' where id = ?", acme.keyId());
        HttpResponse<String> r = chatWhenKeyReloaded();
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("anthropic", r.headers().firstValue("x-tollgate-provider").orElseThrow());

        // a project route of the same name wins over the tenant's (seen at once on this replica)
        assertEquals(200, calls.send("PUT", "/api/v1/routes/default?project_id=" + acme.projectId(), admin, RouteBodies.GEMINI_ONLY).statusCode());
        r = calls.chat(acme.value(), GatewayCalls.chatBody("gpt-4o-mini", "hi", false));
        assertEquals("gemini", r.headers().firstValue("x-tollgate-provider").orElseThrow());

        // the header beats the key's route
        r = calls.chat(acme.value(), GatewayCalls.chatBody("gpt-4o-mini", "hi", false), "x-tollgate-config",
                "{\"targets\":[{\"provider\":\"openai\"}]}");
        assertEquals("openai", r.headers().firstValue("x-tollgate-provider").orElseThrow());

        // a key bound to a route that does not exist is served by plain model routing
        assertEquals(204, calls.send("DELETE", "/api/v1/routes/default?project_id=" + acme.projectId(), admin, null).statusCode());
        assertEquals(204, calls.send("DELETE", "/api/v1/routes/default", admin, null).statusCode());
        r = calls.chat(acme.value(), GatewayCalls.chatBody("gpt-4o-mini", "hi", false));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("openai", r.headers().firstValue("x-tollgate-provider").orElseThrow());
    }

    /** The key's grant is cached by the gateway: wait until the new route binding shows. */
    private HttpResponse<String> chatWhenKeyReloaded() throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        HttpResponse<String> r;
        do {
            r = calls.chat(acme.value(), GatewayCalls.chatBody("gpt-4o-mini", "hi", false));
            if ("anthropic".equals(r.headers().firstValue("x-tollgate-provider").orElse(null))) {
                return r;
            }
            Thread.sleep(200);
        } while (System.currentTimeMillis() < deadline);
        return r;
    }
}
