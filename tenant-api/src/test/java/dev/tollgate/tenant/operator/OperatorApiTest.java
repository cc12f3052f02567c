package dev.tollgate.tenant.operator;

import dev.tollgate.platform.redis.ChannelSubscription;
import dev.tollgate.platform.http.RawHttp;
import dev.tollgate.platform.secret.SecretBox;
import dev.tollgate.platform.tenant.ApiKeyStore;
import dev.tollgate.platform.tenant.KeyInvalidations;
import dev.tollgate.platform.testing.TestServices;
import dev.tollgate.tenant.ApiTestBase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorApiTest extends ApiTestBase {

    static final String[] ADMIN = {"Authorization", "Bearer " + TestServices.ADMIN_TOKEN};
    static final String PROVIDER_KEY = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789";

    @Inject
    ApiKeyStore store;
    @Inject
    KeyInvalidations invalidations;
    @Inject
    SecretBox box;

    @Test
    void adminApiNeedsTheAdminToken() {
        assertError(http.get("/admin/v1/tenants"), 401, "invalid_admin_token");
        assertError(http.get("/admin/v1/tenants", "Authorization", "Bearer wrong"), 401, "invalid_admin_token");
        Tenant t = signup();
        assertError(http.get("/admin/v1/tenants", t.auth()), 401, "invalid_admin_token");
        assertError(http.get("/admin/v1/provider-credentials", t.auth()), 401, "invalid_admin_token");
    }

    @Test
    void listSuspendReinstateAndPlan() throws Exception {
        Tenant t = signup("Umbrella");
        RawHttp.Reply list = http.get("/admin/v1/tenants", ADMIN);
        assertEquals(200, list.status(), list.body());
        assertTrue(list.body().contains(t.tenantId()) && list.body().contains(t.email()));

        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        String publicId = t.apiKey().substring(3, 15);
        try (ChannelSubscription ignored = invalidations.subscribe(messages::add)) {
            RawHttp.Reply suspended = http.json("POST", "/admin/v1/tenants/" + t.tenantId() + "/suspend", null, ADMIN);
            assertEquals(200, suspended.status(), suspended.body());
            assertEquals("suspended", suspended.map().get("status"));
            assertEquals("tenant:" + t.tenantId(), messages.poll(5, TimeUnit.SECONDS));
            assertTrue(store.findByPublicId(publicId).orElseThrow().tenantSuspended());

            // a suspended tenant can still sign in and read, but not create keys
            assertEquals(200, http.get("/api/v1/keys", t.auth()).status());
            assertError(http.json("POST", "/api/v1/keys", "{\"name\":\"x\"}", t.auth()), 403, "tenant_suspended");
            assertTrue(((List<?>) http.get("/admin/v1/tenants?status=suspended", ADMIN).map().get("data")).stream()
                    .anyMatch(m -> t.tenantId().equals(((Map<?, ?>) m).get("id"))));

            assertEquals("active", http.json("POST", "/admin/v1/tenants/" + t.tenantId() + "/reinstate", null, ADMIN).map().get("status"));
            assertEquals("tenant:" + t.tenantId(), messages.poll(5, TimeUnit.SECONDS));
            assertFalse(store.findByPublicId(publicId).orElseThrow().tenantSuspended());

            RawHttp.Reply patched = http.json("PATCH", "/admin/v1/tenants/" + t.tenantId(),
                    json(Map.of("plan", "pro", "markup", "1.25", "limits", Map.of("rpm", 1000))), ADMIN);
            assertEquals(200, patched.status(), patched.body());
            assertEquals("pro", patched.map().get("plan"));
            assertEquals(0, new BigDecimal("1.25").compareTo(new BigDecimal(patched.map().get("markup").toString())));
            assertEquals("tenant:" + t.tenantId(), messages.poll(5, TimeUnit.SECONDS));
            assertEquals(1000L, store.findByPublicId(publicId).orElseThrow().tenantLimits().rpm());
        }

        assertError(http.json("PATCH", "/admin/v1/tenants/" + t.tenantId(), "{\"markup\": 0}", ADMIN), 400, "invalid_fields");
        assertError(http.json("PATCH", "/admin/v1/tenants/" + t.tenantId(), "{\"plan\": \"Not A Plan!\"}", ADMIN), 400, "invalid_fields");
        assertError(http.json("PATCH", "/admin/v1/tenants/" + t.tenantId(), "{\"markup\": \"lots\"}", ADMIN), 400, "invalid_body");
        assertError(http.json("POST", "/admin/v1/tenants/" + UUID.randomUUID() + "/suspend", null, ADMIN), 404, "tenant_not_found");
        assertError(http.get("/admin/v1/tenants/not-a-uuid", ADMIN), 400, "invalid_parameter");
        assertError(http.get("/admin/v1/tenants?status=zombie", ADMIN), 400, "invalid_fields");
        assertError(http.get("/admin/v1/tenants?limit=many", ADMIN), 400, "invalid_parameter");
    }

    @Test
    void providerCredentialsAreSealedAndMasked() throws Exception {
        RawHttp.Reply created = http.json("POST", "/admin/v1/provider-credentials", json(Map.of(
                "provider", "openai", "name", "primary", "api_key", PROVIDER_KEY,
                "base_url", "https://api.openai.com/v1", "settings", Map.of("organization", "org-1"))), ADMIN);
        assertEquals(201, created.status(), created.body());
        assertFalse(created.body().contains(PROVIDER_KEY));
        assertEquals("sk-...6789", created.map().get("key_hint"));
        String id = (String) created.map().get("id");

        try (Connection c = connect();
             PreparedStatement ps = c.prepareStatement("select sealed_key from provider_credential where id = ?::uuid")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                byte[] sealed = rs.getBytes(1);
                assertFalse(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1).contains(PROVIDER_KEY));
                assertEquals(PROVIDER_KEY, box.open(sealed, ProviderCredentialService.associatedData(UUID.fromString(id))));
            }
        }

        String all = http.get("/admin/v1/provider-credentials", ADMIN).body();
        assertTrue(all.contains(id) && !all.contains(PROVIDER_KEY));
        assertFalse(http.get("/admin/v1/provider-credentials/" + id, ADMIN).body().contains(PROVIDER_KEY));

        RawHttp.Reply rotated = http.json("PATCH", "/admin/v1/provider-credentials/" + id,
                json(Map.of("api_key", "sk-ant-zzzzzzzzzzzzzzzzzzzzzz9999", "name", "main")), ADMIN);
        assertEquals(200, rotated.status(), rotated.body());
        assertEquals("sk-...9999", rotated.map().get("key_hint"));
        assertEquals("main", rotated.map().get("name"));
        assertEquals("https://api.openai.com/v1", rotated.map().get("base_url"));

        assertError(http.json("POST", "/admin/v1/provider-credentials", json(Map.of(
                "provider", "openai", "name", "main", "api_key", PROVIDER_KEY)), ADMIN), 409, "credential_name_taken");
        assertError(http.json("POST", "/admin/v1/provider-credentials", json(Map.of("provider", "openai")), ADMIN), 400, "invalid_fields");
        assertError(http.json("POST", "/admin/v1/provider-credentials", json(Map.of(
                "provider", "openai", "name", "x", "api_key", PROVIDER_KEY, "base_url", "ftp://nope")), ADMIN), 400, "invalid_fields");
        assertError(http.json("PATCH", "/admin/v1/provider-credentials/" + id, "{\"provider\":\"anthropic\"}", ADMIN), 400, null);

        assertEquals(204, http.json("DELETE", "/admin/v1/provider-credentials/" + id, null, ADMIN).status());
        assertError(http.get("/admin/v1/provider-credentials/" + id, ADMIN), 404, "credential_not_found");
        assertError(http.json("DELETE", "/admin/v1/provider-credentials/" + id, null, ADMIN), 404, "credential_not_found");
    }
}
