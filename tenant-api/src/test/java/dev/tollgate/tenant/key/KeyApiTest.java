package dev.tollgate.tenant.key;

import dev.tollgate.platform.redis.ChannelSubscription;
import dev.tollgate.platform.http.RawHttp;
import dev.tollgate.platform.key.ApiKeyHasher;
import dev.tollgate.platform.key.ApiKeyToken;
import dev.tollgate.platform.tenant.ApiKeyGrant;
import dev.tollgate.platform.tenant.ApiKeyStore;
import dev.tollgate.platform.tenant.KeyInvalidations;
import dev.tollgate.tenant.ApiTestBase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyApiTest extends ApiTestBase {

    @Inject
    ApiKeyStore store;
    @Inject
    ApiKeyHasher hasher;
    @Inject
    KeyInvalidations invalidations;

    /** Authenticates a presented key the way the gateway does: by public id, then a constant-time hash compare. */
    private boolean gatewayAccepts(String presented) {
        ApiKeyToken token = ApiKeyToken.parse(presented).orElseThrow();
        ApiKeyGrant grant = store.findByPublicId(token.publicId()).orElse(null);
        if (grant == null || grant.revoked() || grant.expired(Instant.now()) || grant.tenantSuspended() || grant.projectDeleted()) {
            return false;
        }
        return hasher.matches(token.secret(), grant.secretHash())
                || (grant.previousSecretValid(Instant.now()) && hasher.matches(token.secret(), grant.previousSecretHash()));
    }

    /**
     * Without the gateway module there are no routes: naming one is refused on {@code route};
     * {@code "route": null} is accepted and views always carry the field. Binding an existing
     * route is proven with the gateway in the app's {@code KeyRouteBindingTest}.
     */
    @Test
    void aRouteMustExistToBeBound() {
        Tenant t = signup();
        RawHttp.Reply refused = http.json("POST", "/api/v1/keys", "{\"name\":\"k\",\"route\":\"nowhere\"}", t.auth());
        assertEquals(400, refused.status(), refused.body());
        assertEquals("route", ((Map<?, ?>) refused.map().get("error")).get("param"));
        RawHttp.Reply created = http.json("POST", "/api/v1/keys", "{\"name\":\"k\"}", t.auth());
        assertEquals(201, created.status(), created.body());
        assertTrue(created.map().containsKey("route"), created.body());
        assertNull(created.map().get("route"));
        String id = (String) created.map().get("id");
        RawHttp.Reply patched = http.json("PATCH", "/api/v1/keys/" + id, "{\"route\":null}", t.auth());
        assertEquals(200, patched.status(), patched.body());
        assertNull(patched.map().get("route"));
        assertEquals(400, http.json("PATCH", "/api/v1/keys/" + id, "{\"route\":\"nowhere\"}", t.auth()).status());
        assertEquals(400, http.json("PATCH", "/api/v1/keys/" + id, "{\"route\":[1]}", t.auth()).status());
    }

    @Test
    void createWithEverythingAndReadBackWithoutSecret() {
        Tenant t = signup();
        Instant expires = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        RawHttp.Reply r = http.json("POST", "/api/v1/keys", json(Map.of(
                "name", "ci",
                "project_id", t.projectId(),
                "scopes", Map.of("models", List.of("gpt-4o*"), "endpoints", List.of("chat", "embeddings")),
                "limits", Map.of("rpm", 60, "tpm", 100000, "max_concurrent", 4, "tokens_per_day", 1000000,
                        "tokens_per_month", 20000000, "budget_usd_per_month", "25.50"),
                "expires_at", expires.toString(),
                "metadata", Map.of("team", "search"))), t.auth());
        assertEquals(201, r.status(), r.body());
        Map<String, Object> created = r.map();
        String key = (String) created.get("key");
        assertTrue(key.matches("tg_[0-9A-Za-z]{12}_[0-9A-Za-z]{40}"), key);
        assertEquals(key.substring(0, 15), created.get("prefix"));
        assertEquals("active", created.get("status"));
        assertTrue(gatewayAccepts(key));

        ApiKeyGrant grant = store.findByPublicId(key.substring(3, 15)).orElseThrow();
        assertEquals(60L, grant.keyLimits().rpm());
        assertEquals(4L, grant.keyLimits().maxConcurrent());
        assertEquals(0, new BigDecimal("25.50").compareTo(grant.keyLimits().budgetUsdPerMonth()));
        assertTrue(grant.scopes().allowsModel("gpt-4o-mini"));
        assertFalse(grant.scopes().allowsModel("claude-3-opus"));
        assertFalse(grant.scopes().allowsEndpoint("messages"));
        assertEquals(expires, grant.expiresAt());

        String id = (String) created.get("id");
        RawHttp.Reply one = http.get("/api/v1/keys/" + id, t.auth());
        assertEquals(200, one.status(), one.body());
        assertFalse(one.body().contains(key.substring(16)), "never the secret");
        assertEquals("search", ((Map<?, ?>) one.map().get("metadata")).get("team"));
        assertEquals(t.projectId(), one.map().get("project_id"));

        RawHttp.Reply list = http.get("/api/v1/keys", t.auth());
        assertEquals(200, list.status());
        assertFalse(list.body().contains(key.substring(16)));
        assertEquals(2, ((List<?>) list.map().get("data")).size(), "the sign-up key and this one");
        RawHttp.Reply qa = http.json("POST", "/api/v1/projects", "{\"name\":\"qa\"}", t.auth());
        assertEquals(201, qa.status(), qa.body());
        String otherProject = (String) qa.map().get("id");
        RawHttp.Reply filtered = http.get("/api/v1/keys?project_id=" + t.projectId(), t.auth());
        assertEquals(200, filtered.status(), filtered.body());
        assertEquals(2, ((List<?>) filtered.map().get("data")).size());
        assertEquals(0, ((List<?>) http.get("/api/v1/keys?project_id=" + otherProject, t.auth()).map().get("data")).size());
    }

    @Test
    void onlyNameIsRequiredAndDefaultsToOldestProject() {
        Tenant t = signup();
        RawHttp.Reply r = http.json("POST", "/api/v1/keys", "{\"name\":\"bare\"}", t.auth());
        assertEquals(201, r.status(), r.body());
        assertEquals(t.projectId(), r.map().get("project_id"));
        assertTrue(gatewayAccepts((String) r.map().get("key")));
    }

    @Test
    void invalidKeyInputIs400WithFields() {
        Tenant t = signup();
        Map<String, Object> error = assertError(http.json("POST", "/api/v1/keys", json(Map.of(
                "name", "",
                "scopes", Map.of("endpoints", List.of("chat", "images")),
                "limits", Map.of("rpm", -5),
                "expires_at", "2001-01-01T00:00:00Z")), t.auth()), 400, "invalid_fields");
        Map<?, ?> fields = (Map<?, ?>) error.get("fields");
        assertTrue(fields.containsKey("name"), fields.toString());
        assertTrue(fields.containsKey("limits.rpm"), fields.toString());

        Map<String, Object> scopeError = assertError(http.json("POST", "/api/v1/keys", json(Map.of(
                "name", "x", "scopes", Map.of("endpoints", List.of("chat", "images")), "expires_at", "2001-01-01T00:00:00Z")), t.auth()),
                400, "invalid_fields");
        Map<?, ?> scopeFields = (Map<?, ?>) scopeError.get("fields");
        assertTrue(scopeFields.containsKey("scopes.endpoints[1]"), scopeFields.toString());
        assertTrue(scopeFields.containsKey("expires_at"), scopeFields.toString());

        assertError(http.json("POST", "/api/v1/keys", "{\"name\":\"x\",\"limits\":{\"rpm\":\"fast\"}}", t.auth()), 400, "invalid_body");
        assertError(http.json("POST", "/api/v1/keys", "{\"name\":\"x\",\"expires_at\":\"tomorrow\"}", t.auth()), 400, "invalid_body");
        assertError(http.json("POST", "/api/v1/keys", "{\"name\":", t.auth()), 400, "invalid_json");
        assertError(http.json("POST", "/api/v1/keys", "{\"name\":\"x\",\"project_id\":\"nope\"}", t.auth()), 400, "invalid_body");
        assertError(http.json("POST", "/api/v1/keys", json(Map.of("name", "x", "project_id", UUID.randomUUID().toString())), t.auth()),
                404, "project_not_found");
        assertError(http.get("/api/v1/keys/not-a-uuid", t.auth()), 400, "invalid_parameter");
        assertError(http.get("/api/v1/keys/" + UUID.randomUUID(), t.auth()), 404, "key_not_found");
        assertError(http.json("PATCH", "/api/v1/keys/" + t.keyId(), "{\"name\":\"   \"}", t.auth()), 400, "invalid_fields");
        assertError(http.json("POST", "/api/v1/keys/" + t.keyId() + "/rotate", "{\"grace_seconds\":-1}", t.auth()), 400, "invalid_fields");
        assertError(http.json("POST", "/api/v1/keys/" + t.keyId() + "/rotate", "{\"grace_seconds\":99999999}", t.auth()), 400, "invalid_fields");
    }

    @Test
    void patchReplacesOnlyGivenFieldsAndPublishes() throws Exception {
        Tenant t = signup();
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        try (ChannelSubscription ignored = invalidations.subscribe(messages::add)) {
            RawHttp.Reply r = http.json("PATCH", "/api/v1/keys/" + t.keyId(), json(Map.of(
                    "name", "renamed", "limits", Map.of("rpm", 5), "scopes", Map.of("models", List.of("claude-*")))), t.auth());
            assertEquals(200, r.status(), r.body());
            assertEquals("renamed", r.map().get("name"));
            assertEquals("key:" + t.apiKey().substring(3, 15), messages.poll(5, TimeUnit.SECONDS));
        }
        ApiKeyGrant grant = store.findByPublicId(t.apiKey().substring(3, 15)).orElseThrow();
        assertEquals("renamed", grant.name());
        assertEquals(5L, grant.keyLimits().rpm());
        assertTrue(grant.scopes().allowsModel("claude-3-5-sonnet"));
        assertFalse(grant.scopes().allowsModel("gpt-4o"));

        RawHttp.Reply metaOnly = http.json("PATCH", "/api/v1/keys/" + t.keyId(), "{\"metadata\":{\"env\":\"prod\"}}", t.auth());
        assertEquals(200, metaOnly.status(), metaOnly.body());
        assertEquals("renamed", metaOnly.map().get("name"));
        assertEquals(5, ((Number) ((Map<?, ?>) metaOnly.map().get("limits")).get("rpm")).intValue());
    }

    @Test
    void rotationKeepsOldSecretUntilGraceEnds() throws Exception {
        Tenant t = signup();
        String oldKey = t.apiKey();
        RawHttp.Reply r = http.json("POST", "/api/v1/keys/" + t.keyId() + "/rotate", "{\"grace_seconds\":2}", t.auth());
        assertEquals(200, r.status(), r.body());
        String newKey = (String) r.map().get("key");
        assertNotEquals(oldKey, newKey);
        assertEquals(oldKey.substring(0, 15), newKey.substring(0, 15), "the public id stays");
        assertTrue(r.map().get("previous_secret_valid_until") != null, r.body());

        assertTrue(gatewayAccepts(newKey));
        assertTrue(gatewayAccepts(oldKey), "old secret works during the grace");
        Thread.sleep(2500);
        assertTrue(gatewayAccepts(newKey));
        assertFalse(gatewayAccepts(oldKey), "old secret refused after the grace");
        assertNull(http.get("/api/v1/keys/" + t.keyId(), t.auth()).map().get("previous_secret_valid_until"));
    }

    @Test
    void rotationWithZeroGraceStopsOldSecretAtOnceAndDefaultGraceApplies() {
        Tenant t = signup();
        RawHttp.Reply now = http.json("POST", "/api/v1/keys/" + t.keyId() + "/rotate", "{\"grace_seconds\":0}", t.auth());
        assertEquals(200, now.status(), now.body());
        assertFalse(gatewayAccepts(t.apiKey()));
        String second = (String) now.map().get("key");

        RawHttp.Reply defaulted = http.json("POST", "/api/v1/keys/" + t.keyId() + "/rotate", null, t.auth());
        assertEquals(200, defaulted.status(), defaulted.body());
        assertTrue(gatewayAccepts(second), "default grace of one hour");
        Instant until = Instant.parse((String) defaulted.map().get("previous_secret_valid_until"));
        assertTrue(until.isAfter(Instant.now().plusSeconds(3500)) && until.isBefore(Instant.now().plusSeconds(3700)), until.toString());
    }

    @Test
    void revokeRefusesKeyAndPublishesAndCannotBeRotated() throws Exception {
        Tenant t = signup();
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        try (ChannelSubscription ignored = invalidations.subscribe(messages::add)) {
            assertEquals(204, http.json("DELETE", "/api/v1/keys/" + t.keyId(), null, t.auth()).status());
            assertEquals("key:" + t.apiKey().substring(3, 15), messages.poll(5, TimeUnit.SECONDS));
        }
        assertFalse(gatewayAccepts(t.apiKey()));
        assertEquals("revoked", http.get("/api/v1/keys/" + t.keyId(), t.auth()).map().get("status"));
        assertEquals(204, http.json("DELETE", "/api/v1/keys/" + t.keyId(), null, t.auth()).status(), "idempotent");
        assertError(http.json("POST", "/api/v1/keys/" + t.keyId() + "/rotate", "{}", t.auth()), 409, "key_revoked");
    }
}
