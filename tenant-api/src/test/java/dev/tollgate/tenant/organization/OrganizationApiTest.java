package dev.tollgate.tenant.organization;

import dev.tollgate.platform.redis.ChannelSubscription;
import dev.tollgate.platform.http.RawHttp;
import dev.tollgate.platform.tenant.ApiKeyStore;
import dev.tollgate.platform.tenant.KeyInvalidations;
import dev.tollgate.platform.testing.TestServices;
import dev.tollgate.tenant.ApiTestBase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /api/v1/organization}: every member reads the tenant's settings, owners and admins
 * change the name and the time zone, a zone change reaches the key grants and is announced to
 * every replica, and sign-up takes a zone too.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrganizationApiTest extends ApiTestBase {

    private static final String[] ADMIN = {"Authorization", "Bearer " + TestServices.ADMIN_TOKEN};

    @Inject
    ApiKeyStore store;
    @Inject
    KeyInvalidations invalidations;

    @Test
    void everyMemberReadsTheOrganization() {
        Tenant t = signup("Read Co");
        Map<String, Object> org = http.get("/api/v1/organization", t.auth()).map();
        assertEquals(t.tenantId(), org.get("id"));
        assertEquals("Read Co", org.get("name"));
        assertEquals("UTC", org.get("time_zone"), "a tenant that chose no zone counts days in UTC");
        assertEquals("active", org.get("status"));
        assertEquals("free", org.get("plan"));
        assertTrue(org.containsKey("created_at") && org.containsKey("limits"), org.toString());
        assertFalse(org.containsKey("markup") || org.containsKey("stripe_customer_id"), "operator fields stay hidden: " + org);

        for (String role : List.of("admin", "member", "viewer")) {
            RawHttp.Reply read = http.get("/api/v1/organization", member(t, role).auth());
            assertEquals(200, read.status(), role + ": " + read.body());
            assertEquals(t.tenantId(), read.map().get("id"));
        }
        assertEquals(401, http.get("/api/v1/organization").status());
    }

    @Test
    void ownerAndAdminChangeNameAndZoneAndTheGrantsFollow() throws Exception {
        Tenant t = signup("Zone Co");
        String publicId = t.apiKey().substring(3, 15);
        assertEquals(ZoneId.of("UTC"), store.findByPublicId(publicId).orElseThrow().timeZone());

        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        try (ChannelSubscription ignored = invalidations.subscribe(messages::add)) {
            RawHttp.Reply patched = http.json("PATCH", "/api/v1/organization",
                    json(Map.of("name", "  Zone Company  ", "time_zone", "Asia/Tokyo")), t.auth());
            assertEquals(200, patched.status(), patched.body());
            assertEquals("Zone Company", patched.map().get("name"), "the name is stored trimmed");
            assertEquals("Asia/Tokyo", patched.map().get("time_zone"));
            assertEquals("tenant:" + t.tenantId(), messages.poll(5, TimeUnit.SECONDS),
                    "the zone is in every key's grant: the tenant's cached keys are dropped everywhere");

            // a rename alone leaves the grants as they are: nothing to announce
            assertEquals(200, http.json("PATCH", "/api/v1/organization", "{\"name\":\"Zone Co 2\"}", t.auth()).status());
            assertNull(messages.poll(500, TimeUnit.MILLISECONDS));
        }
        assertEquals(ZoneId.of("Asia/Tokyo"), store.findByPublicId(publicId).orElseThrow().timeZone());
        Map<String, Object> org = http.get("/api/v1/organization", t.auth()).map();
        assertEquals("Zone Co 2", org.get("name"));
        assertEquals("Asia/Tokyo", org.get("time_zone"), "a PATCH without time_zone keeps it");

        Member admin = member(t, "admin");
        RawHttp.Reply byAdmin = http.json("PATCH", "/api/v1/organization", "{\"time_zone\":\"America/New_York\"}", admin.auth());
        assertEquals(200, byAdmin.status(), byAdmin.body());
        assertEquals("Zone Co 2", byAdmin.map().get("name"));
        assertEquals(ZoneId.of("America/New_York"), store.findByPublicId(publicId).orElseThrow().timeZone());

        Map<String, Object> operatorView = http.get("/admin/v1/tenants/" + t.tenantId(), ADMIN).map();
        assertEquals("America/New_York", operatorView.get("time_zone"), "the operator sees the zone");
        assertEquals("Zone Co 2", operatorView.get("name"));
    }

    @Test
    void membersAndViewersCannotChangeIt() {
        Tenant t = signup("Roles Co");
        for (String role : List.of("member", "viewer")) {
            assertError(http.json("PATCH", "/api/v1/organization", "{\"time_zone\":\"Europe/Berlin\"}", member(t, role).auth()),
                    403, "insufficient_role");
        }
        assertEquals("UTC", http.get("/api/v1/organization", t.auth()).map().get("time_zone"));

        assertEquals(200, http.json("POST", "/admin/v1/tenants/" + t.tenantId() + "/suspend", null, ADMIN).status());
        assertError(http.json("PATCH", "/api/v1/organization", "{\"name\":\"Renamed\"}", t.auth()), 403, "tenant_suspended");
        assertEquals(200, http.get("/api/v1/organization", t.auth()).status(), "a suspended tenant still reads its settings");
    }

    @Test
    void badZonesAndNamesAreRefusedWithTheField() {
        Tenant t = signup("Input Co");
        for (String zone : List.of("+05:00", "UTC+05:00", "GMT-3", "Z", "Mars/Olympus_Mons", "asia/tokyo", "", " Europe/Berlin",
                "SystemV/EST5", "posix/Europe/Berlin", "EST")) {
            RawHttp.Reply r = http.json("PATCH", "/api/v1/organization", json(Map.of("time_zone", zone)), t.auth());
            Map<String, Object> error = assertError(r, 400, "invalid_time_zone");
            assertEquals("time_zone", error.get("param"), zone + ": " + r.body());
        }
        assertError(http.json("PATCH", "/api/v1/organization", "{\"time_zone\":5}", t.auth()), 400, null);
        assertError(http.json("PATCH", "/api/v1/organization", "{\"name\":\"   \"}", t.auth()), 400, "invalid_fields");
        assertError(http.json("PATCH", "/api/v1/organization", "{\"name\":\"\"}", t.auth()), 400, "invalid_fields");
        Map<String, Object> tooLong = assertError(http.json("PATCH", "/api/v1/organization",
                json(Map.of("name", "x".repeat(101))), t.auth()), 400, "invalid_fields");
        assertTrue(((Map<?, ?>) tooLong.get("fields")).containsKey("name"), tooLong.toString());
        // a refused zone changes nothing, not even a valid name sent with it
        assertError(http.json("PATCH", "/api/v1/organization", "{\"name\":\"Other\",\"time_zone\":\"+01:00\"}", t.auth()),
                400, "invalid_time_zone");
        Map<String, Object> org = http.get("/api/v1/organization", t.auth()).map();
        assertEquals("Input Co", org.get("name"));
        assertEquals("UTC", org.get("time_zone"));
        // IANA's own fixed-offset and alias names are zones both the JDK and PostgreSQL know
        assertEquals("Etc/GMT-5", http.json("PATCH", "/api/v1/organization", "{\"time_zone\":\"Etc/GMT-5\"}", t.auth()).map().get("time_zone"));
        assertEquals("UTC", http.json("PATCH", "/api/v1/organization", "{\"time_zone\":\"UTC\"}", t.auth()).map().get("time_zone"));
    }

    @Test
    void anotherTenantNeitherSeesNorChangesIt() {
        Tenant a = signup("Tenant A");
        Tenant b = signup("Tenant B");
        assertEquals(200, http.json("PATCH", "/api/v1/organization", "{\"name\":\"B renamed\",\"time_zone\":\"Europe/Paris\"}", b.auth()).status());

        Map<String, Object> seenByB = http.get("/api/v1/organization", b.auth()).map();
        assertEquals(b.tenantId(), seenByB.get("id"), "the token's tenant, whatever else is asked");
        Map<String, Object> ofA = http.get("/api/v1/organization", a.auth()).map();
        assertEquals("Tenant A", ofA.get("name"));
        assertEquals("UTC", ofA.get("time_zone"), "B's change stayed in B");
        assertEquals(ZoneId.of("UTC"), store.findByPublicId(a.apiKey().substring(3, 15)).orElseThrow().timeZone());
        // there is no id to point at another tenant: /organization/{id} is not a route
        assertEquals(404, http.get("/api/v1/organization/" + a.tenantId(), b.auth()).status());
    }

    @Test
    void signupTakesAZone() {
        String email = "zone-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Map<String, Object> body = new HashMap<>(Map.of("email", email, "password", "correct horse battery", "organization", "Signup Zone"));
        body.put("time_zone", "+05:00");
        assertEquals("time_zone", assertError(http.json("POST", "/api/v1/signup", json(body)), 400, "invalid_time_zone").get("param"));

        body.put("time_zone", "Australia/Sydney");
        RawHttp.Reply created = http.json("POST", "/api/v1/signup", json(body));
        assertEquals(201, created.status(), "the refused sign-up left nothing behind: " + created.body());
        String token = (String) created.map().get("access_token");
        assertEquals("Australia/Sydney", http.get("/api/v1/organization", "Authorization", "Bearer " + token).map().get("time_zone"));
        String key = (String) created.map().get("api_key");
        assertEquals(ZoneId.of("Australia/Sydney"), store.findByPublicId(key.substring(3, 15)).orElseThrow().timeZone());
    }
}
