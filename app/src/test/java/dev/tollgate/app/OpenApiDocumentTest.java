package dev.tollgate.app;

import dev.tollgate.platform.testing.TestServices;
import io.micronaut.context.ApplicationContext;
import io.micronaut.web.router.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The assembled app serves the build-time OpenAPI document of its management API and a Swagger UI
 * for it, both without authentication, while the API itself stays protected.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDocumentTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private ApplicationContext ctx;

    @BeforeAll
    void start(@TempDir Path home) {
        Map<String, String> services = TestServices.isolatedEnvironment("openapi");
        Map<String, String> env = new HashMap<>();
        env.put("TOLLGATE_HOME", home.toString());
        env.put("DATASOURCES_DEFAULT_URL", services.get("datasources.default.url"));
        env.put("REDIS_URI", services.get("redis.uri"));
        env.put("TOLLGATE_ADMIN_TOKEN", TestServices.ADMIN_TOKEN);
        Map<String, Object> overrides = new HashMap<>(services);
        overrides.put("micronaut.server.port", -1);
        ctx = Application.start(env, overrides);
    }

    @AfterAll
    void stop() {
        if (ctx != null) {
            AppTestSupport.stop(ctx);
        }
    }

    @Test
    void documentDescribesEveryManagementRouteWithItsSecurity() throws Exception {
        HttpResponse<String> response = get("/swagger/tollgate.yml");
        assertEquals(200, response.statusCode(), response.body());
        Map<String, Object> doc = new Yaml().load(response.body());

        assertEquals("Tollgate management API", map(doc.get("info")).get("title"));
        Map<String, Object> schemes = map(map(doc.get("components")).get("securitySchemes"));
        assertEquals("bearer", map(schemes.get("tenantToken")).get("scheme"));
        assertEquals("JWT", map(schemes.get("tenantToken")).get("bearerFormat"));
        assertEquals("bearer", map(schemes.get("adminToken")).get("scheme"));

        Map<String, Object> paths = map(doc.get("paths"));
        Set<String> documented = new TreeSet<>();
        paths.forEach((path, operations) -> map(operations).keySet()
                .forEach(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path)));
        Set<String> served = new TreeSet<>();
        ctx.getBean(Router.class).uriRoutes()
                .filter(route -> route.getUriMatchTemplate().toString().startsWith("/api/v1/")
                        || route.getUriMatchTemplate().toString().startsWith("/admin/v1/"))
                .filter(route -> !route.getHttpMethodName().equals("HEAD")) // Micronaut adds HEAD to every GET
                .forEach(route -> served.add(route.getHttpMethodName() + " " + route.getUriMatchTemplate()));
        assertTrue(served.size() > 40, "the management routes are there to compare with: " + served);
        assertEquals(served, documented, "every /api/v1 and /admin/v1 route is documented, and nothing else");

        Map<String, Object> signup = operation(paths, "/api/v1/signup", "post");
        assertNotNull(map(signup.get("responses")).get("201"), "sign-up answers 201: " + signup);
        assertNull(signup.get("security"), "sign-up needs no token");
        Map<String, Object> signupResult = map(map(map(doc.get("components")).get("schemas")).get("SignupResult"));
        assertTrue(map(signupResult.get("properties")).containsKey("access_token"), "snake_case like the JSON: " + signupResult);
        Map<String, Object> keyView = map(map(map(doc.get("components")).get("schemas")).get("KeyView"));
        assertTrue(map(keyView.get("properties")).containsKey("route"), "a key's bound route is documented: " + keyView);
        assertEquals(List.of(Map.of("tenantToken", List.of())), operation(paths, "/api/v1/keys/{id}/rotate", "post").get("security"));
        assertEquals("rotateKey", operation(paths, "/api/v1/keys/{id}/rotate", "post").get("operationId"));
        assertEquals(List.of(Map.of("tenantToken", List.of())), operation(paths, "/api/v1/organization", "patch").get("security"));
        Map<String, Object> patch = map(map(map(doc.get("components")).get("schemas")).get("OrganizationPatch"));
        assertTrue(map(patch.get("properties")).containsKey("time_zone"), "snake_case like the JSON: " + patch);
        assertEquals(List.of(Map.of("adminToken", List.of())), operation(paths, "/admin/v1/tenants", "get").get("security"));
        assertEquals(List.of(Map.of("tenantToken", List.of())), operation(paths, "/api/v1/mailbox", "get").get("security"));
        assertEquals(List.of(Map.of("adminToken", List.of())), operation(paths, "/admin/v1/outbox", "get").get("security"));
        assertNotNull(map(operation(paths, "/api/v1/keys/{id}", "delete").get("responses")).get("204"));
    }

    @Test
    void swaggerUiIsServedAndLoadsTheDocument() throws Exception {
        HttpResponse<String> page = get("/swagger-ui/");
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), page.headers().map().toString());
        assertTrue(page.body().contains("/swagger/tollgate.yml"), "the UI points at the document");
        HttpResponse<String> bundle = get("/swagger-ui/res/swagger-ui-bundle.js");
        assertEquals(200, bundle.statusCode(), "the UI's script is bundled, not fetched from a CDN");
    }

    @Test
    void theApiItselfStaysProtected() throws Exception {
        assertEquals(401, get("/api/v1/keys").statusCode(), "tenant API still needs a token");
        assertEquals(401, get("/admin/v1/tenants").statusCode(), "operator API still needs the admin token");
        assertEquals(404, get("/swagger-ui/no-such-file.js").statusCode());
        HttpResponse<String> tenants = http.send(HttpRequest.newBuilder(uri("/admin/v1/tenants"))
                .header("Authorization", "Bearer " + TestServices.ADMIN_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, tenants.statusCode(), tenants.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create(AppTestSupport.baseUrl(ctx) + path);
    }

    private static Map<String, Object> operation(Map<String, Object> paths, String path, String method) {
        Map<String, Object> operations = map(paths.get(path));
        assertNotNull(operations, path + " is documented");
        Map<String, Object> operation = map(operations.get(method));
        assertNotNull(operation, method + " " + path + " is documented");
        return operation;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
