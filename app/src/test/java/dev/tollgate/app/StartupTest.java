package dev.tollgate.app;

import dev.tollgate.platform.testing.TestServices;
import io.micronaut.context.ApplicationContext;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The assembled product starts in both runtime modes and keeps its data across restarts. */
class StartupTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void embeddedModeStartsEverythingAndKeepsDataAcrossRestart(@TempDir Path home) throws Exception {
        Map<String, String> env = Map.of("TOLLGATE_HOME", home.toString(), "TOLLGATE_SIMULATOR_PORT", "0");
        UUID tenant = UUID.randomUUID();
        String adminToken;

        ApplicationContext first = Application.start(env, Map.of("micronaut.server.port", -1));
        try {
            Bootstrap bootstrap = first.getBean(Bootstrap.class);
            assertEquals(RuntimeMode.EMBEDDED, bootstrap.mode());
            String health = get(first, "/health");
            assertTrue(health.contains("\"status\":\"UP\""), health);
            assertTrue(health.contains("\"jdbc\""), "PostgreSQL indicator present: " + health);
            assertTrue(health.contains("\"redis\""), "Redis indicator present: " + health);
            assertTrue(get(first, "/prometheus").contains("jvm_memory_used_bytes"));
            String simulator = first.getProperty("tollgate.simulator.url", String.class).orElseThrow();
            HttpResponse<String> models = http.send(HttpRequest.newBuilder(URI.create(simulator + "/openai/v1/models"))
                    .header("Authorization", "Bearer sk-simulated").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, models.statusCode(), "in-process OpenAI simulator answers");
            assertTrue(models.body().contains("gpt-4o"), models.body());
            try (Connection c = raw(first).getConnection()) {
                c.createStatement().execute("insert into tenant (id, name) values ('" + tenant + "', 'Persisted Co')");
            }
            adminToken = bootstrap.adminToken().value();
            assertEquals(adminToken, Files.readString(home.resolve("admin-token")).trim());
        } finally {
            AppTestSupport.stop(first);
        }

        ApplicationContext second = Application.start(env, Map.of("micronaut.server.port", -1));
        try {
            assertEquals(adminToken, second.getBean(Bootstrap.class).adminToken().value(), "admin token kept");
            try (Connection c = raw(second).getConnection();
                 ResultSet rs = c.createStatement().executeQuery("select name from tenant where id = '" + tenant + "'")) {
                assertTrue(rs.next(), "tenant written before the restart is still there");
                assertEquals("Persisted Co", rs.getString(1));
            }
        } finally {
            AppTestSupport.stop(second);
        }
    }

    @Test
    void externalModeUsesConfiguredServicesAndStartsNothingEmbedded(@TempDir Path home) throws Exception {
        Map<String, String> services = TestServices.isolatedEnvironment("external");
        Map<String, String> env = new HashMap<>();
        env.put("TOLLGATE_HOME", home.toString());
        env.put("DATASOURCES_DEFAULT_URL", services.get("datasources.default.url"));
        env.put("REDIS_URI", services.get("redis.uri"));
        env.put("TOLLGATE_ADMIN_TOKEN", "an-operator-chosen-admin-token");
        Map<String, Object> overrides = new HashMap<>(services);
        overrides.put("micronaut.server.port", -1);

        ApplicationContext ctx = Application.start(env, overrides);
        try {
            Bootstrap bootstrap = ctx.getBean(Bootstrap.class);
            assertEquals(RuntimeMode.EXTERNAL, bootstrap.mode());
            assertEquals("an-operator-chosen-admin-token", bootstrap.adminToken().value());
            assertFalse(Files.exists(home.resolve("postgres")), "no embedded PostgreSQL data directory");
            assertFalse(Files.exists(home.resolve("redis")), "no embedded Redis data directory");
            assertFalse(Files.exists(home.resolve("admin-token")), "admin token from the environment is not written");
            assertTrue(ctx.getProperty("tollgate.simulator.url", String.class).isEmpty(), "no simulators in external mode");
            String health = get(ctx, "/health");
            assertTrue(health.contains("\"status\":\"UP\""), health);
            assertTrue(health.contains(services.get("datasources.default.url")), "uses the configured database: " + health);
            try (Connection c = raw(ctx).getConnection();
                 ResultSet rs = c.createStatement().executeQuery(
                         "select count(*) from flyway_schema_history where success")) {
                assertTrue(rs.next());
                assertTrue(rs.getInt(1) >= 3, "migrations applied");
            }
        } finally {
            AppTestSupport.stop(ctx);
        }
    }

    private String get(ApplicationContext ctx, String path) throws Exception {
        int port = ctx.getBean(EmbeddedServer.class).getPort();
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + " answered " + response.body());
        return response.body();
    }

    private static DataSource raw(ApplicationContext ctx) {
        return DelegatingDataSource.unwrapDataSource(ctx.getBean(DataSource.class));
    }
}
