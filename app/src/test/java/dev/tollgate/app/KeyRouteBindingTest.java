package dev.tollgate.app;

import dev.tollgate.platform.simulator.Fault;
import dev.tollgate.platform.simulator.SimulatorSettings;
import dev.tollgate.platform.simulator.UpstreamSimulator;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A key bound to a stored route through the tenant API ({@code "route"} on {@code POST} and
 * {@code PATCH /api/v1/keys}) is served by that route on the gateway: with the route's first
 * target failing, its requests succeed through the second target; unbound ({@code "route": null})
 * they fail like the plain model route. The gateway's key cache is set to an hour, so the unbinding
 * can only reach it through the invalidation message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyRouteBindingTest {

    private static final String FALLBACK = """
            {"strategy":{"mode":"fallback"},
             "targets":[{"provider":"openai","model":"gpt-4o-mini"},{"provider":"anthropic","model":"claude-3-5-haiku-latest"}]}""";

    private final HttpClient http = HttpClient.newHttpClient();
    private UpstreamSimulator sim;
    private ApplicationContext ctx;
    private JsonMapper json;
    private String base;

    @BeforeAll
    void start(@TempDir Path home) {
        sim = UpstreamSimulator.start(SimulatorSettings.defaults());
        ctx = AppTestSupport.start("keyroute", home, Map.of(
                "tollgate.providers.openai.base-url", sim.baseUrl() + "/openai/v1",
                "tollgate.providers.openai.api-key", "sk-simulated",
                "tollgate.providers.anthropic.base-url", sim.baseUrl() + "/anthropic/v1",
                "tollgate.providers.anthropic.api-key", "sk-ant-simulated",
                "tollgate.gateway.key-cache-ttl", "1h"));
        json = ctx.getBean(JsonMapper.class);
        base = AppTestSupport.baseUrl(ctx);
    }

    @AfterAll
    void stop() {
        if (ctx != null) {
            AppTestSupport.stop(ctx);
        }
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void aBoundKeyFallsBackThroughItsRouteAndUnboundFailsLikeThePlainRoute() throws Exception {
        Map<String, Object> acme = body(send("POST", "/api/v1/signup", null,
                "{\"email\":\"route@example.com\",\"password\":\"long enough password\",\"organization\":\"Route Co\"}"), 201);
        String token = (String) acme.get("access_token");
        String plainKey = (String) acme.get("api_key");
        body(send("PUT", "/api/v1/routes/resilient", token, FALLBACK), 200);

        Map<String, Object> created = body(send("POST", "/api/v1/keys", token, "{\"name\":\"bound\",\"route\":\"resilient\"}"), 201);
        assertEquals("resilient", created.get("route"));
        String boundKey = (String) created.get("key");
        String id = (String) created.get("id");
        assertEquals("resilient", body(send("GET", "/api/v1/keys/" + id, token, null), 200).get("route"));

        sim.addFault(Fault.error("openai", 500));
        HttpResponse<String> plain = chat(plainKey);
        assertNotEquals(200, plain.statusCode(), "the plain model route has no second target: " + plain.body());
        HttpResponse<String> bound = chat(boundKey);
        assertEquals(200, bound.statusCode(), bound.body());
        assertEquals("anthropic", bound.headers().firstValue("x-tollgate-provider").orElseThrow());

        // a PATCH without "route" keeps the binding; "route": null clears it, and the gateway follows at once
        assertEquals("resilient", body(send("PATCH", "/api/v1/keys/" + id, token, "{\"name\":\"renamed\"}"), 200).get("route"));
        assertEquals(200, chat(boundKey).statusCode(), "still bound after a rename");
        Map<String, Object> cleared = body(send("PATCH", "/api/v1/keys/" + id, token, "{\"route\":null}"), 200);
        assertTrue(cleared.containsKey("route"), "views always carry route: " + cleared);
        assertNull(cleared.get("route"));
        HttpResponse<String> unbound = eventually(() -> chat(boundKey), r -> r.statusCode() != 200);
        assertEquals(plain.statusCode(), unbound.statusCode(), unbound.body());
        assertEquals(errorCode(plain), errorCode(unbound));

        // and binding it again through PATCH brings the route back
        assertEquals("resilient", body(send("PATCH", "/api/v1/keys/" + id, token, "{\"route\":\"resilient\"}"), 200).get("route"));
        assertEquals(200, eventually(() -> chat(boundKey), r -> r.statusCode() == 200).statusCode());
    }

    @Test
    void onlyRoutesTheKeysProjectOrTenantCanSeeMayBeBound() throws Exception {
        Map<String, Object> acme = body(send("POST", "/api/v1/signup", null,
                "{\"email\":\"scope@example.com\",\"password\":\"long enough password\",\"organization\":\"Scope Co\"}"), 201);
        String token = (String) acme.get("access_token");
        Map<String, Object> other = body(send("POST", "/api/v1/signup", null,
                "{\"email\":\"other@example.com\",\"password\":\"long enough password\",\"organization\":\"Other Co\"}"), 201);
        body(send("PUT", "/api/v1/routes/theirs", (String) other.get("access_token"), FALLBACK), 200);
        String secondProject = (String) body(send("POST", "/api/v1/projects", token, "{\"name\":\"qa\"}"), 201).get("id");
        body(send("PUT", "/api/v1/routes/qa-only?project_id=" + secondProject, token, FALLBACK), 200);

        assertRouteRefused(send("POST", "/api/v1/keys", token, "{\"name\":\"k\",\"route\":\"nope\"}"));
        assertRouteRefused(send("POST", "/api/v1/keys", token, "{\"name\":\"k\",\"route\":\"theirs\"}"));
        // a project's route is not visible to a key of another project of the same tenant
        assertRouteRefused(send("POST", "/api/v1/keys", token, "{\"name\":\"k\",\"route\":\"qa-only\"}"));
        Map<String, Object> qaKey = body(send("POST", "/api/v1/keys", token,
                "{\"name\":\"k\",\"project_id\":\"" + secondProject + "\",\"route\":\"qa-only\"}"), 201);
        assertEquals("qa-only", qaKey.get("route"));

        String id = (String) qaKey.get("id");
        assertRouteRefused(send("PATCH", "/api/v1/keys/" + id, token, "{\"route\":\"theirs\"}"));
        assertRouteRefused(send("PATCH", "/api/v1/keys/" + id, token, "{\"route\":\"bad name!\"}"));
        assertEquals(400, send("PATCH", "/api/v1/keys/" + id, token, "{\"route\":42}").statusCode());
        assertEquals("qa-only", body(send("GET", "/api/v1/keys/" + id, token, null), 200).get("route"), "refusals change nothing");
    }

    private void assertRouteRefused(HttpResponse<String> r) throws IOException {
        assertEquals(400, r.statusCode(), r.body());
        Map<?, ?> error = (Map<?, ?>) body(r, 400).get("error");
        assertEquals("route", error.get("param"), r.body());
    }

    private HttpResponse<String> chat(String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Invalidation travels over Redis pub/sub: allow it one second. */
    private static HttpResponse<String> eventually(Call call, Predicate<HttpResponse<String>> done) throws Exception {
        long deadline = System.currentTimeMillis() + 1_000;
        HttpResponse<String> r = call.run();
        while (!done.test(r) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            r = call.run();
        }
        return r;
    }

    @FunctionalInterface
    private interface Call {
        HttpResponse<String> run() throws Exception;
    }

    private Object errorCode(HttpResponse<String> r) throws IOException {
        return ((Map<?, ?>) body(r, r.statusCode()).get("error")).get("code");
    }

    private HttpResponse<String> send(String method, String path, String bearer, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, Object> body(HttpResponse<String> r, int expected) throws IOException {
        assertEquals(expected, r.statusCode(), r.uri() + ": " + r.body());
        return json.readValue(r.body(), Argument.mapOf(String.class, Object.class));
    }
}
