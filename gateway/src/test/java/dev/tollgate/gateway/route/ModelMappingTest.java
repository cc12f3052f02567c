package dev.tollgate.gateway.route;

import dev.tollgate.gateway.GatewayCalls;
import dev.tollgate.gateway.GatewayTest;
import dev.tollgate.gateway.GatewayTestSupport;
import dev.tollgate.platform.simulator.UpstreamSimulator;
import dev.tollgate.platform.testing.TestServices;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model mappings managed through {@code /admin/v1/models} (stored, ahead of configured aliases,
 * in force on another replica at once), and the price table's models served by default.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelMappingTest extends GatewayTest {

    final UpstreamSimulator sim = GatewayTestSupport.simulator();
    private GatewayTestSupport.TestKey key;

    @Override
    public Map<String, String> extraProperties() {
        return GatewayTestSupport.gatewayProperties(
                // an OpenAI-compatible target that names no models: it serves what the price table lists for Groq
                "tollgate.providers.groq.type", "openai",
                "tollgate.providers.groq.base-url", GatewayTestSupport.simulator().baseUrl() + "/openai/v1",
                "tollgate.providers.groq.api-key", "gsk-simulated");
    }

    @BeforeAll
    void setUp() throws Exception {
        key = createKey();
    }

    private HttpResponse<String> admin(GatewayCalls on, String method, String path, String body) throws Exception {
        return on.send(method, path, TestServices.ADMIN_TOKEN, body);
    }

    private HttpResponse<String> chat(GatewayCalls on, String model) throws Exception {
        return on.chat(key.value(), GatewayCalls.chatBody(model, "hello", false));
    }

    private long served(String provider, String model) {
        return sim.served().stats(provider, model).requests();
    }

    @Test
    void storedMappingRoutesTheAliasOnEveryReplicaUntilDeleted() throws Exception {
        try (EmbeddedServer second = startReplica()) {
            GatewayCalls other = new GatewayCalls(second.getURL().toString(), dataSource);
            assertEquals(404, chat(other, "team-fast").statusCode(), "no such model yet");

            HttpResponse<String> put = admin(calls, "PUT", "/admin/v1/models/team-fast",
                    "{\"provider\":\"anthropic\",\"model\":\"claude-3-5-haiku-latest\"}");
            assertEquals(200, put.statusCode(), put.body());
            assertTrue(put.body().contains("\"source\":\"store\"") && put.body().contains("\"updated_at\""), put.body());

            for (GatewayCalls on : new GatewayCalls[]{calls, other}) {
                long before = served("anthropic", "claude-3-5-haiku-latest");
                HttpResponse<String> r = chat(on, "team-fast");
                assertEquals(200, r.statusCode(), r.body());
                assertEquals("anthropic", r.headers().firstValue("x-tollgate-provider").orElseThrow());
                assertEquals(before + 1, served("anthropic", "claude-3-5-haiku-latest"), "the simulator served the mapped model");
            }
            HttpResponse<String> models = calls.send("GET", "/v1/models", key.value(), null);
            assertTrue(models.body().contains("\"id\":\"team-fast\""), models.body());

            HttpResponse<String> list = admin(calls, "GET", "/admin/v1/models", null);
            assertEquals(200, list.statusCode(), list.body());
            assertTrue(list.body().contains("{\"alias\":\"azure-gpt\",\"provider\":\"azure\",\"model\":\"gpt-4o-mini\",\"source\":\"config\"}"),
                    list.body());
            assertTrue(list.body().contains("\"alias\":\"team-fast\",\"provider\":\"anthropic\",\"model\":\"claude-3-5-haiku-latest\",\"source\":\"store\""),
                    list.body());

            assertEquals(204, admin(calls, "DELETE", "/admin/v1/models/team-fast", null).statusCode());
            HttpResponse<String> gone = chat(calls, "team-fast");
            assertEquals(404, gone.statusCode());
            assertTrue(gone.body().contains("model_not_found"), gone.body());
            long deadline = System.currentTimeMillis() + 5_000;
            HttpResponse<String> onOther = chat(other, "team-fast");
            while (onOther.statusCode() != 404 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
                onOther = chat(other, "team-fast");
            }
            assertEquals(404, onOther.statusCode(), "the other replica dropped the mapping");
            assertFalse(calls.send("GET", "/v1/models", key.value(), null).body().contains("team-fast"));
            assertEquals(404, admin(calls, "DELETE", "/admin/v1/models/team-fast", null).statusCode());
        }
    }

    @Test
    void storedMappingTakesPrecedenceOverAConfiguredAlias() throws Exception {
        assertEquals("azure", chat(calls, "azure-gpt").headers().firstValue("x-tollgate-provider").orElseThrow());
        assertEquals(200, admin(calls, "PUT", "/admin/v1/models/azure-gpt", "{\"provider\":\"openai\",\"model\":\"gpt-4.1-nano\"}").statusCode());
        try {
            long before = served("openai", "gpt-4.1-nano");
            HttpResponse<String> r = chat(calls, "azure-gpt");
            assertEquals("openai", r.headers().firstValue("x-tollgate-provider").orElseThrow(), r.body());
            assertEquals(before + 1, served("openai", "gpt-4.1-nano"));
            String list = admin(calls, "GET", "/admin/v1/models", null).body();
            assertTrue(list.contains("\"alias\":\"azure-gpt\",\"provider\":\"openai\""), list);
            assertFalse(list.contains("\"alias\":\"azure-gpt\",\"provider\":\"azure\""), list);
        } finally {
            assertEquals(204, admin(calls, "DELETE", "/admin/v1/models/azure-gpt", null).statusCode());
        }
        assertEquals("azure", chat(calls, "azure-gpt").headers().firstValue("x-tollgate-provider").orElseThrow(),
                "the configured alias applies again");
    }

    @Test
    void badInputIsAClear4xx() throws Exception {
        HttpResponse<String> r = admin(calls, "PUT", "/admin/v1/models/x", "{\"provider\":\"nope\",\"model\":\"gpt-4o\"}");
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"param\":\"provider\"") && r.body().contains("nope"), r.body());
        r = admin(calls, "PUT", "/admin/v1/models/x", "{\"provider\":\"openai\"}");
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"param\":\"model\""), r.body());
        r = admin(calls, "PUT", "/admin/v1/models/bad%20alias", "{\"provider\":\"openai\",\"model\":\"gpt-4o\"}");
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"param\":\"alias\""), r.body());
        r = admin(calls, "PUT", "/admin/v1/models/x", "{\"provider\":");
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"error\""), r.body());
        r = calls.send("PUT", "/admin/v1/models/x", "wrong-token", "{\"provider\":\"openai\",\"model\":\"gpt-4o\"}");
        assertEquals(401, r.statusCode(), r.body());
        assertEquals(401, calls.send("GET", "/admin/v1/models", null, null).statusCode());
        assertEquals(404, chat(calls, "x").statusCode(), "nothing was stored");
    }

    @Test
    void everyModelOfAConfiguredProvidersPriceListIsRoutable() throws Exception {
        // in OpenAI's price list, matching none of the old name patterns (gpt-*, o1* …)
        long before = served("openai", "codex-mini-latest");
        HttpResponse<String> r = chat(calls, "codex-mini-latest");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("openai", r.headers().firstValue("x-tollgate-provider").orElseThrow());
        assertEquals(before + 1, served("openai", "codex-mini-latest"));

        // a target that lists nothing serves its provider's price list (Groq's, found by the target's name)
        r = chat(calls, "llama-3.1-8b-instant");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("groq", r.headers().firstValue("x-tollgate-provider").orElseThrow());

        // Google's list has Claude too (for Vertex): the model still goes to its own provider
        r = chat(calls, "claude-3-5-haiku-20241022");
        assertEquals("anthropic", r.headers().firstValue("x-tollgate-provider").orElseThrow(), r.body());

        r = chat(calls, "gpt-99-turbo");
        assertEquals(404, r.statusCode(), r.body());
        assertTrue(r.body().contains("model_not_found"), r.body());
    }
}
