package dev.tollgate.gateway.limit;

import dev.tollgate.gateway.GatewayTest;
import dev.tollgate.gateway.GatewayTestSupport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With Redis unreachable, limits fail open to the local limiter (default) or closed with a 503. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisOutageTest extends GatewayTest {

    @Inject
    MeterRegistry meters;

    final HttpClient http = HttpClient.newHttpClient();

    @Override
    public Map<String, String> extraProperties() {
        return GatewayTestSupport.gatewayProperties("redis.uri", "redis://127.0.0.1:1");
    }

    int chat(String baseUrl, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void failOpenEnforcesLimitsLocally() throws Exception {
        GatewayTestSupport.TestKey key = createKey("{}", "{}", "{\"rpm\": 2}", "{}");
        assertEquals(200, chat(server.getURL().toString(), key.value()));
        assertEquals(200, chat(server.getURL().toString(), key.value()));
        assertEquals(429, chat(server.getURL().toString(), key.value()));
        assertTrue(meters.get("tollgate.limits.fallback").counter().count() >= 3);
        GatewayTestSupport.TestKey unlimited = createKey();
        assertEquals(200, chat(server.getURL().toString(), unlimited.value()), "no limits, no Redis needed");
    }

    @Test
    void failClosedAnswers503() throws Exception {
        GatewayTestSupport.TestKey key = createKey("{}", "{}", "{\"rpm\": 100}", "{}");
        try (EmbeddedServer closed = startReplica("tollgate.limits.fail-mode", "closed")) {
            assertEquals(503, chat(closed.getURL().toString(), key.value()));
        }
    }
}
