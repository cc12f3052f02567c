package dev.tollgate.gateway.limit;

import dev.tollgate.gateway.GatewayTestSupport;
import dev.tollgate.platform.key.ApiKeyHasher;
import dev.tollgate.platform.testing.RealServices;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With Redis unreachable, limits fail open to the local limiter (default) or closed with a 503. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisOutageTest implements RealServices {

    @Inject
    EmbeddedServer server;
    @Inject
    DataSource dataSource;
    @Inject
    ApiKeyHasher hasher;
    @Inject
    MeterRegistry meters;

    final HttpClient http = HttpClient.newHttpClient();
    private Map<String, String> properties;

    @Override
    public synchronized Map<String, String> getProperties() {
        if (properties == null) {
            properties = new HashMap<>(RealServices.super.getProperties());
        }
        return properties;
    }

    @Override
    public Map<String, String> extraProperties() {
        Map<String, String> p = new HashMap<>(GatewayTestSupport.gatewayProperties());
        p.put("redis.uri", "redis://127.0.0.1:1");
        return p;
    }

    int chat(String baseUrl, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void failOpenEnforcesLimitsLocally() throws Exception {
        GatewayTestSupport.TestKey key = GatewayTestSupport.createKey(dataSource, hasher, "{}", "{}", "{\"rpm\": 2}", "{}");
        assertEquals(200, chat(server.getURL().toString(), key.value()));
        assertEquals(200, chat(server.getURL().toString(), key.value()));
        assertEquals(429, chat(server.getURL().toString(), key.value()));
        assertTrue(meters.get("tollgate.limits.fallback").counter().count() >= 3);
        GatewayTestSupport.TestKey unlimited = GatewayTestSupport.createKey(dataSource, hasher);
        assertEquals(200, chat(server.getURL().toString(), unlimited.value()), "no limits, no Redis needed");
    }

    @Test
    void failClosedAnswers503() throws Exception {
        Map<String, Object> props = new HashMap<>(getProperties());
        props.put("tollgate.limits.fail-mode", "closed");
        props.put("tollgate.meter.journal-dir", Files.createTempDirectory("tollgate-journal-closed").toString());
        props.put("micronaut.server.port", "-1");
        GatewayTestSupport.TestKey key = GatewayTestSupport.createKey(dataSource, hasher, "{}", "{}", "{\"rpm\": 100}", "{}");
        try (EmbeddedServer closed = ApplicationContext.run(EmbeddedServer.class, props, "test")) {
            assertEquals(503, chat(closed.getURL().toString(), key.value()));
        }
    }
}
