package dev.tollgate.tenant.key;

import dev.tollgate.platform.http.RawHttp;
import dev.tollgate.platform.tenant.ApiKeyGrant;
import dev.tollgate.platform.tenant.ApiKeyStore;
import dev.tollgate.platform.tenant.KeyInvalidations;
import dev.tollgate.platform.testing.TestServices;
import dev.tollgate.tenant.ApiTestBase;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two running instances on one database and Redis: a change made through instance A's API
 * reaches a key cache on instance B (built the way the gateway's is: grants by public id,
 * dropped on invalidation messages) within five seconds.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevocationAcrossInstancesTest extends ApiTestBase {

    @Inject
    Environment environment;

    /** A minimal replica-side cache: what the gateway keeps, and how it forgets. */
    static final class ReplicaKeyCache {
        final Map<String, ApiKeyGrant> grants = new ConcurrentHashMap<>();
        final ApiKeyStore store;

        ReplicaKeyCache(ApiKeyStore store, KeyInvalidations invalidations) {
            this.store = store;
            invalidations.subscribe(message -> {
                if (message.startsWith(KeyInvalidations.KEY_PREFIX)) {
                    grants.remove(message.substring(KeyInvalidations.KEY_PREFIX.length()));
                } else if (message.startsWith(KeyInvalidations.TENANT_PREFIX)) {
                    String tenant = message.substring(KeyInvalidations.TENANT_PREFIX.length());
                    grants.values().removeIf(g -> g.tenantId().toString().equals(tenant));
                }
            });
        }

        ApiKeyGrant get(String publicId) {
            return grants.computeIfAbsent(publicId, id -> store.findByPublicId(id).orElseThrow());
        }
    }

    private Map<String, Object> sameBackend() {
        Map<String, Object> props = new HashMap<>();
        for (String name : new String[] {"datasources.default.url", "datasources.default.username", "datasources.default.password",
                "datasources.default.driver-class-name", "datasources.default.dialect", "redis.uri", "tollgate.redis.prefix",
                "tollgate.master-key", "micronaut.security.token.jwt.signatures.secret.generator.secret", "tollgate.admin-token"}) {
            environment.getProperty(name, String.class).ifPresent(v -> props.put(name, v));
        }
        props.put("flyway.datasources.default.enabled", "false");
        props.put("micronaut.server.port", "-1");
        return props;
    }

    private static void eventually(Duration within, Runnable assertion) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (Instant.now().isAfter(deadline)) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    @Test
    void revokeRotateTimeZoneAndSuspendReachTheOtherInstanceWithinFiveSeconds() throws Exception {
        try (EmbeddedServer b = ApplicationContext.run(EmbeddedServer.class, sameBackend())) {
            ReplicaKeyCache cache = new ReplicaKeyCache(b.getApplicationContext().getBean(ApiKeyStore.class),
                    b.getApplicationContext().getBean(KeyInvalidations.class));
            RawHttp httpB = new RawHttp(b.getURI(), jsonMapper);
            Tenant t = signup();
            String publicId = t.apiKey().substring(3, 15);

            // instance B serves the same API: the token from A works there too
            assertEquals(200, httpB.get("/api/v1/keys/" + t.keyId(), t.auth()).status());

            assertFalse(cache.get(publicId).revoked());
            assertEquals(204, http.json("DELETE", "/api/v1/keys/" + t.keyId(), null, t.auth()).status());
            eventually(Duration.ofSeconds(5), () -> assertTrue(cache.get(publicId).revoked(), "B sees the revocation"));

            Map<String, Object> created = http.json("POST", "/api/v1/keys", "{\"name\":\"second\"}", t.auth()).map();
            String secondId = ((String) created.get("key")).substring(3, 15);
            String keyId = (String) created.get("id");
            byte[] before = cache.get(secondId).secretHash();
            assertEquals(200, httpB.json("POST", "/api/v1/keys/" + keyId + "/rotate", "{\"grace_seconds\":60}", t.auth()).status(),
                    "rotated through B this time");
            eventually(Duration.ofSeconds(5), () -> assertFalse(java.util.Arrays.equals(before, cache.get(secondId).secretHash())));

            assertEquals(ZoneId.of("UTC"), cache.get(secondId).timeZone());
            assertEquals(200, http.json("PATCH", "/api/v1/organization", "{\"time_zone\":\"Asia/Kolkata\"}", t.auth()).status());
            eventually(Duration.ofSeconds(5), () -> assertEquals(ZoneId.of("Asia/Kolkata"), cache.get(secondId).timeZone(),
                    "B's quota days start at the new midnight"));

            assertEquals(200, http.json("POST", "/admin/v1/tenants/" + t.tenantId() + "/suspend", null,
                    "Authorization", "Bearer " + TestServices.ADMIN_TOKEN).status());
            eventually(Duration.ofSeconds(5), () -> assertTrue(cache.get(secondId).tenantSuspended()));
        }
    }
}
