package dev.tollgate.app;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code java -jar tollgate.jar} in embedded mode stopped as a service manager stops it (SIGTERM):
 * the embedded PostgreSQL and Redis stop cleanly, and only after every client of theirs, so the
 * shutdown logs no warnings (before, Redis was stopped beside the context's shutdown and its
 * clients logged failed reconnects on every stop).
 */
class EmbeddedShutdownIT {

    private final JarProcesses jars = new JarProcesses();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        jars.close();
    }

    @Test
    void sigtermStopsPostgresAndRedisCleanlyAfterTheirClientsWithoutWarnings() throws Exception {
        Path home = Files.createTempDirectory("tollgate-shutdown");
        int port = JarProcesses.freePort();
        String base = "http://127.0.0.1:" + port;
        Process tollgate = jars.start(List.of(), Map.of("TOLLGATE_HOME", home.toString(),
                "MICRONAUT_SERVER_PORT", Integer.toString(port),
                "TOLLGATE_SIMULATOR_PORT", Integer.toString(JarProcesses.freePort())), "embedded-shutdown");
        jars.awaitHealthy(base);

        // a request that uses both services: PostgreSQL (sign-up, metering) and Redis (limits, exact cache)
        String key = field(send(base + "/api/v1/signup", null, null,
                "{\"email\":\"ops@example.com\",\"password\":\"a long test passphrase\",\"organization\":\"Stop Co\"}"), "api_key");
        HttpResponse<String> chat = send(base + "/v1/chat/completions", key,
                "{\"targets\":[{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\"}],\"cache\":{\"mode\":\"simple\",\"ttl_seconds\":60}}",
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}");
        assertEquals(200, chat.statusCode(), chat.body());
        int redisPort = Integer.parseInt(Files.readString(home.resolve("redis/port")).trim());
        assertTrue(Files.exists(home.resolve("postgres/postmaster.pid")), "PostgreSQL runs");

        tollgate.destroy();
        assertTrue(tollgate.waitFor(60, TimeUnit.SECONDS), "stopped within a minute");

        String log = Files.readString(JarProcesses.log("embedded-shutdown"));
        int shutdown = log.indexOf("Embedded Application shutting down");
        assertTrue(shutdown > 0, "the shutdown was logged:\n" + log);
        List<String> warnings = log.substring(shutdown).lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).toList();
        assertEquals(List.of(), warnings, "warnings or errors while stopping");
        assertFalse(Files.exists(home.resolve("postgres/postmaster.pid")), "PostgreSQL shut down cleanly (it removes its pid file)");
        assertThrows(IOException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", redisPort), 1_000);
            }
        }, "Redis no longer listens");
        assertTrue(Files.readString(home.resolve("redis/redis.log")).contains("ready to exit"), "Redis shut down cleanly");
    }

    private HttpResponse<String> send(String url, String key, String route, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (route != null) {
            b.header("x-tollgate-config", route);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String field(HttpResponse<String> response, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(response.body());
        assertTrue(m.find(), name + " in " + response.statusCode() + " " + response.body());
        return m.group(1);
    }
}
