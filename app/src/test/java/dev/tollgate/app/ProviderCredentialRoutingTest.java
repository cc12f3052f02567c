package dev.tollgate.app;

import dev.tollgate.platform.simulator.SimulatorSettings;
import dev.tollgate.platform.simulator.UpstreamSimulator;
import dev.tollgate.platform.testing.TestServices;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A provider credential stored through the operator API (sealed by the tenant API) is opened and
 * used by the gateway: its base URL and key replace the configured ones.
 */
class ProviderCredentialRoutingTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void storedCredentialRedirectsTheProvider(@TempDir Path home) throws Exception {
        try (UpstreamSimulator configured = UpstreamSimulator.start(SimulatorSettings.defaults());
             UpstreamSimulator stored = UpstreamSimulator.start(SimulatorSettings.defaults())) {
            ApplicationContext ctx = AppTestSupport.start("credentials", home, Map.of(
                    "tollgate.providers.openai.base-url", configured.baseUrl() + "/openai/v1",
                    "tollgate.providers.openai.api-key", "sk-configured",
                    "tollgate.gateway.credential-refresh", "200ms"));
            try {
                String base = AppTestSupport.baseUrl(ctx);
                String key = field(send(base + "/api/v1/signup", null,
                        "{\"email\":\"cred@example.com\",\"password\":\"long enough password\",\"organization\":\"Cred Co\"}", 201), "api_key");

                assertEquals(200, chat(base, key).statusCode());
                assertEquals(1, configured.served().total("openai").requests(), "configured target used first");

                send(base + "/admin/v1/provider-credentials", TestServices.ADMIN_TOKEN,
                        "{\"provider\":\"openai\",\"name\":\"openai\",\"api_key\":\"sk-stored-0123456789\",\"base_url\":\""
                                + stored.baseUrl() + "/openai/v1\"}", 201);
                Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
                while (stored.served().total("openai").requests() == 0 && Instant.now().isBefore(deadline)) {
                    assertEquals(200, chat(base, key).statusCode());
                    Thread.sleep(100);
                }
                assertTrue(stored.served().total("openai").requests() > 0, "the stored credential's base URL is used");
            } finally {
                AppTestSupport.stop(ctx);
            }
        }
    }

    private HttpResponse<String> chat(String base, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private String send(String url, String bearer, String json, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, r.statusCode(), url + ": " + r.body());
        return r.body();
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return m.group(1);
    }
}
