package dev.tollgate.gateway.auth;

import dev.tollgate.gateway.GatewayTest;
import dev.tollgate.gateway.GatewayTestSupport;
import dev.tollgate.platform.key.ApiKeyToken;
import dev.tollgate.platform.redis.RedisNamespace;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Key checks of the filter, and revocation reaching the gateway through the invalidation channel. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiKeyAuthTest extends GatewayTest {

    @Inject
    RedisClient redis;
    @Inject
    RedisNamespace namespace;
    @Inject
    MeterRegistry meters;

    final HttpClient http = HttpClient.newHttpClient();

    @Override
    public Map<String, String> extraProperties() {
        return GatewayTestSupport.gatewayProperties(
                // long enough that only an invalidation message can make a change visible during the test
                "tollgate.gateway.key-cache-ttl", "1h");
    }

    int status(String key, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.getURL() + path)).header("Authorization", "Bearer " + key);
        b = body == null ? b.GET() : b.header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    double refused401() {
        Counter c = meters.find("tollgate.gateway.refused").tag("status", "401").counter();
        return c == null ? 0 : c.count();
    }

    int chat(String key, String model) throws Exception {
        return status(key, "/v1/chat/completions", "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    }

    void sql(String sql, Object... args) throws Exception {
        try (Connection c = GatewayTestSupport.raw(dataSource).getConnection()) {
            GatewayTestSupport.exec(c, sql, args);
        }
    }

    void publish(String message) {
        try (var connection = redis.connect()) {
            connection.sync().publish(namespace.channel(dev.tollgate.platform.tenant.KeyInvalidations.CHANNEL), message);
        }
    }

    int awaitStatus(String key, int expected) throws Exception {
        int status = 0;
        for (int i = 0; i < 50 && status != expected; i++) {
            status = status(key, "/v1/models", null);
            if (status != expected) {
                Thread.sleep(100);
            }
        }
        return status;
    }

    @Test
    void revocationReachesTheGatewayThroughTheChannel() throws Exception {
        GatewayTestSupport.TestKey key = createKey();
        assertEquals(200, status(key.value(), "/v1/models", null));
        sql("update api_key set revoked_at = now() where id = ?", key.keyId());
        assertEquals(200, status(key.value(), "/v1/models", null), "still cached");
        publish("key:" + key.publicId());
        assertEquals(401, awaitStatus(key.value(), 401));
    }

    @Test
    void suspendedTenantIs403AfterTenantInvalidation() throws Exception {
        GatewayTestSupport.TestKey key = createKey();
        assertEquals(200, status(key.value(), "/v1/models", null));
        sql("update tenant set status = 'suspended' where id = ?", key.tenantId());
        publish("tenant:" + key.tenantId());
        assertEquals(403, awaitStatus(key.value(), 403));
    }

    @Test
    void expiredWrongMissingAndScopes() throws Exception {
        GatewayTestSupport.TestKey expired = createKey();
        sql("update api_key set expires_at = ? where id = ?", Timestamp.from(Instant.now().minusSeconds(5)), expired.keyId());
        double refusedBefore = refused401();
        assertEquals(401, status(expired.value(), "/v1/models", null));
        assertEquals(401, status("tg_nope", "/v1/models", null));
        assertEquals(401, status(ApiKeyToken.generate().value(), "/v1/models", null));
        // no tenant, no usage event: the refusals are counted instead
        assertEquals(refusedBefore + 3, refused401());

        GatewayTestSupport.TestKey scoped = createKey("{}", "{}", "{}",
                "{\"models\":[\"gpt-4o*\"],\"endpoints\":[\"chat\"]}");
        assertEquals(200, chat(scoped.value(), "gpt-4o-mini"));
        assertEquals(403, chat(scoped.value(), "claude-3-5-haiku-latest"));
        assertEquals(403, status(scoped.value(), "/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}"));
        HttpResponse<String> models = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/v1/models"))
                .header("Authorization", "Bearer " + scoped.value()).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(models.body().contains("gpt-4o-mini"));
        assertTrue(!models.body().contains("claude"), models.body());
    }

    @Test
    void previousSecretWorksDuringTheRotationGraceOnly() throws Exception {
        GatewayTestSupport.TestKey key = createKey();
        ApiKeyToken old = ApiKeyToken.parse(key.value()).orElseThrow();
        ApiKeyToken rotated = old.withNewSecret();
        sql("update api_key set previous_secret_hash = secret_hash, previous_valid_until = ?, secret_hash = ? where id = ?",
                Timestamp.from(Instant.now().plusSeconds(3600)), hasher.hash(rotated.secret()), key.keyId());
        publish("key:" + key.publicId());
        assertEquals(200, awaitStatus(rotated.value(), 200));
        assertEquals(200, status(old.value(), "/v1/models", null));
        sql("update api_key set previous_valid_until = ? where id = ?", Timestamp.from(Instant.now().minusSeconds(1)), key.keyId());
        publish("key:" + key.publicId());
        assertEquals(401, awaitStatus(old.value(), 401));
        assertEquals(200, status(rotated.value(), "/v1/models", null));
    }
}
