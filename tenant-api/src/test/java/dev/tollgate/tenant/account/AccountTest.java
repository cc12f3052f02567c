package dev.tollgate.tenant.account;

import dev.tollgate.platform.http.RawHttp;
import dev.tollgate.platform.key.ApiKeyHasher;
import dev.tollgate.platform.key.ApiKeyToken;
import dev.tollgate.platform.tenant.ApiKeyGrant;
import dev.tollgate.platform.tenant.ApiKeyStore;
import dev.tollgate.tenant.ApiTestBase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountTest extends ApiTestBase {

    @Inject
    ApiKeyStore keyStore;
    @Inject
    ApiKeyHasher hasher;

    @Override
    protected Map<String, String> moreProperties() {
        return Map.of("tollgate.tenant-api.login-max-failures-per-email", "3",
                "tollgate.tenant-api.login-max-failures-per-ip", "6",
                "micronaut.server.client-address-header", "X-Forwarded-For");
    }

    @Test
    void signupCreatesTenantOwnerProjectAndWorkingKey() throws Exception {
        Tenant t = signup("Acme");

        ApiKeyToken token = ApiKeyToken.parse(t.apiKey()).orElseThrow();
        ApiKeyGrant grant = keyStore.findByPublicId(token.publicId()).orElseThrow();
        assertTrue(hasher.matches(token.secret(), grant.secretHash()));
        assertEquals(t.tenantId(), grant.tenantId().toString());
        assertEquals(t.projectId(), grant.projectId().toString());
        assertEquals(t.keyId(), grant.keyId().toString());

        RawHttp.Reply projects = http.get("/api/v1/projects", t.auth());
        assertEquals(200, projects.status(), projects.body());
        assertTrue(projects.body().contains("\"default\""), projects.body());

        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select password_hash from app_user where id = '" + t.userId() + "'")) {
            assertTrue(rs.next());
            String hash = rs.getString(1);
            assertTrue(hash.startsWith("$2b$04$"), "bcrypt at the configured cost");
            assertFalse(hash.contains(t.password()));
        }
    }

    @Test
    void signupRejectsDuplicateEmailCaseInsensitively() {
        Tenant t = signup();
        RawHttp.Reply r = http.json("POST", "/api/v1/signup",
                json(Map.of("email", t.email().toUpperCase(), "password", "another long password", "organization", "Dup")));
        assertError(r, 409, "email_taken");
    }

    @Test
    void signupValidatesEmailPasswordAndOrganization() {
        RawHttp.Reply r = http.json("POST", "/api/v1/signup",
                json(Map.of("email", "not-an-email", "password", "short", "organization", "")));
        Map<String, Object> error = assertError(r, 400, "invalid_fields");
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) error.get("fields");
        assertTrue(fields.containsKey("email"), r.body());
        assertTrue(fields.containsKey("password"), r.body());
        assertTrue(fields.containsKey("organization"), r.body());
        assertFalse(r.body().contains("short"), "never echoes the password");
    }

    @Test
    void signupBadInput() {
        assertError(http.json("POST", "/api/v1/signup", "{\"email\": "), 400, "invalid_json");
        assertError(http.json("POST", "/api/v1/signup", "{\"email\": 5, \"password\": [], \"organization\": {}}"), 400, null);
        assertError(http.json("POST", "/api/v1/signup", null), 400, "missing_body");
    }

    @Test
    void loginIssuesTokenThatAuthenticates() {
        Tenant t = signup();
        RawHttp.Reply r = http.json("POST", "/api/v1/login", json(Map.of("email", t.email(), "password", t.password())));
        assertEquals(200, r.status(), r.body());
        Map<String, Object> m = r.map();
        assertEquals("Bearer", m.get("token_type"));
        assertEquals(3600, ((Number) m.get("expires_in")).intValue());
        String token = (String) m.get("access_token");
        assertNotNull(token);
        assertEquals(200, http.get("/api/v1/keys", "Authorization", "Bearer " + token).status());
    }

    @Test
    void wrongPasswordAndUnknownEmailAre401() {
        Tenant t = signup();
        assertError(http.json("POST", "/api/v1/login", json(Map.of("email", t.email(), "password", "wrong password!"))),
                401, "invalid_api_key");
        assertError(http.json("POST", "/api/v1/login", json(Map.of("email", "nobody@example.com", "password", "whatever123"))),
                401, "invalid_api_key");
    }

    @Test
    void repeatedFailuresForOneEmailAreLimited() {
        Tenant t = signup();
        String ip = "10.0.0." + (int) (Math.random() * 200);
        for (int i = 0; i < 3; i++) {
            assertEquals(401, http.json("POST", "/api/v1/login", json(Map.of("email", t.email(), "password", "wrong" + i + "xxxxxx")),
                    "X-Forwarded-For", ip).status());
        }
        // even the right password is refused while the account is locked
        RawHttp.Reply locked = http.json("POST", "/api/v1/login", json(Map.of("email", t.email(), "password", t.password())),
                "X-Forwarded-For", "10.9.9.9");
        assertError(locked, 429, "too_many_login_attempts");
        long retryAfter = Long.parseLong(locked.header("Retry-After"));
        assertTrue(retryAfter > 0 && retryAfter <= 15 * 60, "Retry-After " + retryAfter);

        // another account is not affected
        Tenant other = signup();
        assertEquals(200, http.json("POST", "/api/v1/login", json(Map.of("email", other.email(), "password", other.password())),
                "X-Forwarded-For", "10.9.9.8").status());
    }

    @Test
    void repeatedFailuresFromOneAddressAreLimited() {
        String ip = "192.0.2." + (int) (Math.random() * 200);
        for (int i = 0; i < 6; i++) {
            assertEquals(401, http.json("POST", "/api/v1/login",
                    json(Map.of("email", "probe" + i + "-" + UUID.randomUUID() + "@example.com", "password", "guess-guess")),
                    "X-Forwarded-For", ip).status());
        }
        Tenant t = signup();
        assertError(http.json("POST", "/api/v1/login", json(Map.of("email", t.email(), "password", t.password())),
                "X-Forwarded-For", ip), 429, "too_many_login_attempts");
        assertEquals(200, http.json("POST", "/api/v1/login", json(Map.of("email", t.email(), "password", t.password())),
                "X-Forwarded-For", "198.51.100.7").status());
    }

    @Test
    void successfulLoginClearsTheEmailCounter() {
        Tenant t = signup();
        String ip = "203.0.113." + (int) (Math.random() * 200);
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 2; i++) {
                assertEquals(401, http.json("POST", "/api/v1/login", json(Map.of("email", t.email(), "password", "nope-nope-nope")),
                        "X-Forwarded-For", ip).status());
            }
            assertEquals(200, http.json("POST", "/api/v1/login", json(Map.of("email", t.email(), "password", t.password())),
                    "X-Forwarded-For", ip).status());
        }
    }

    @Test
    void managementApiNeedsAValidToken() {
        assertError(http.get("/api/v1/keys"), 401, null);
        assertError(http.get("/api/v1/keys", "Authorization", "Bearer not-a-jwt"), 401, null);
    }
}
