package dev.tollgate.tenant.web;

import dev.tollgate.platform.http.RawHttp;
import dev.tollgate.tenant.ApiTestBase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every management endpoint against every role, and against another tenant's ids. Roles:
 * viewers read; members also manage keys; admins also manage projects and members; owners
 * everything. Another tenant's id always answers 404, never 403 and never data.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolesAndIsolationTest extends ApiTestBase {

    Tenant a;
    Tenant b;
    Map<String, String[]> auth;

    @BeforeAll
    void tenants() {
        a = signup("Alpha");
        b = signup("Beta");
        auth = Map.of("owner", a.auth(), "admin", member(a, "admin").auth(),
                "member", member(a, "member").auth(), "viewer", member(a, "viewer").auth());
    }

    private int status(String role, String method, String path, String body) {
        RawHttp.Reply r = http.json(method, path, body, auth.get(role));
        if (r.status() >= 400) {
            r.error(); // every refusal is an ErrorBody
        }
        return r.status();
    }

    private String newKey() {
        return (String) http.json("POST", "/api/v1/keys", "{\"name\":\"k\"}", a.auth()).map().get("id");
    }

    private String newProject() {
        return (String) http.json("POST", "/api/v1/projects", json(Map.of("name", "p-" + System.nanoTime())), a.auth()).map().get("id");
    }

    @Test
    void everyRoleReads() {
        for (String role : List.of("owner", "admin", "member", "viewer")) {
            assertEquals(200, status(role, "GET", "/api/v1/projects", null), role);
            assertEquals(200, status(role, "GET", "/api/v1/projects/" + a.projectId(), null), role);
            assertEquals(200, status(role, "GET", "/api/v1/keys", null), role);
            assertEquals(200, status(role, "GET", "/api/v1/keys/" + a.keyId(), null), role);
            assertEquals(200, status(role, "GET", "/api/v1/members", null), role);
        }
    }

    @Test
    void keysNeedMember() {
        Map<String, Integer> expected = Map.of("owner", 201, "admin", 201, "member", 201, "viewer", 403);
        expected.forEach((role, code) -> {
            assertEquals(code, status(role, "POST", "/api/v1/keys", "{\"name\":\"r\"}"), role);
            String key = newKey();
            assertEquals(code == 201 ? 200 : 403, status(role, "PATCH", "/api/v1/keys/" + key, "{\"name\":\"x\"}"), role);
            assertEquals(code == 201 ? 200 : 403, status(role, "POST", "/api/v1/keys/" + key + "/rotate", "{}"), role);
            assertEquals(code == 201 ? 204 : 403, status(role, "DELETE", "/api/v1/keys/" + key, null), role);
        });
    }

    @Test
    void projectsAndMembersNeedAdmin() {
        Map<String, Boolean> allowed = Map.of("owner", true, "admin", true, "member", false, "viewer", false);
        allowed.forEach((role, ok) -> {
            assertEquals(ok ? 201 : 403, status(role, "POST", "/api/v1/projects", json(Map.of("name", role + "-proj"))), role);
            String project = newProject();
            assertEquals(ok ? 200 : 403, status(role, "PATCH", "/api/v1/projects/" + project, "{\"limits\":{\"rpm\":9}}"), role);
            assertEquals(ok ? 204 : 403, status(role, "DELETE", "/api/v1/projects/" + project, null), role);

            RawHttp.Reply invite = http.json("POST", "/api/v1/members",
                    json(Map.of("email", role + "-" + System.nanoTime() + "@example.com", "role", "viewer")), auth.get(role));
            assertEquals(ok ? 201 : 403, invite.status(), role);
            String inviteId = ok ? (String) invite.map().get("id")
                    : (String) http.json("POST", "/api/v1/members", json(Map.of("email", "x" + System.nanoTime() + "@example.com", "role", "viewer")),
                    a.auth()).map().get("id");
            assertEquals(ok ? 200 : 403, status(role, "PATCH", "/api/v1/members/" + inviteId, "{\"role\":\"member\"}"), role);
            assertEquals(ok ? 204 : 403, status(role, "DELETE", "/api/v1/members/" + inviteId, null), role);
        });
    }

    @Test
    void anotherTenantsIdsAre404OnEveryEndpoint() {
        String[] other = b.auth();
        String bMember = member(b, "viewer").userId();
        String bInvite = (String) http.json("POST", "/api/v1/members", json(Map.of("email", "bi" + System.nanoTime() + "@example.com", "role", "viewer")),
                b.auth()).map().get("id");
        record Call(String method, String path, String body) {
        }
        List<Call> calls = List.of(
                new Call("GET", "/api/v1/projects/" + a.projectId(), null),
                new Call("PATCH", "/api/v1/projects/" + a.projectId(), "{\"name\":\"stolen\"}"),
                new Call("DELETE", "/api/v1/projects/" + a.projectId(), null),
                new Call("GET", "/api/v1/keys/" + a.keyId(), null),
                new Call("PATCH", "/api/v1/keys/" + a.keyId(), "{\"name\":\"stolen\"}"),
                new Call("POST", "/api/v1/keys/" + a.keyId() + "/rotate", "{}"),
                new Call("DELETE", "/api/v1/keys/" + a.keyId(), null),
                new Call("POST", "/api/v1/keys", json(Map.of("name", "x", "project_id", a.projectId()))),
                new Call("PATCH", "/api/v1/members/" + a.userId(), "{\"role\":\"viewer\"}"),
                new Call("DELETE", "/api/v1/members/" + a.userId(), null));
        for (Call call : calls) {
            RawHttp.Reply r = http.json(call.method(), call.path(), call.body(), other);
            assertEquals(404, r.status(), call + " -> " + r.body());
            r.error();
        }
        // and the reverse direction for B's member and invitation
        assertEquals(404, http.json("PATCH", "/api/v1/members/" + bMember, "{\"role\":\"admin\"}", a.auth()).status());
        assertEquals(404, http.json("DELETE", "/api/v1/members/" + bInvite, null, a.auth()).status());

        // lists show only one's own tenant
        String bKeys = http.get("/api/v1/keys", other).body();
        assertTrue(!bKeys.contains(a.keyId()) && bKeys.contains(b.keyId()));
        String bProjects = http.get("/api/v1/projects", other).body();
        assertTrue(!bProjects.contains(a.projectId()) && bProjects.contains(b.projectId()));
        String bMembers = http.get("/api/v1/members", other).body();
        assertTrue(!bMembers.contains(a.email()) && bMembers.contains(b.email()));
        assertTrue(http.get("/api/v1/keys?project_id=" + a.projectId(), other).map().get("data") instanceof List<?> l && l.isEmpty());

        // nothing of A changed
        RawHttp.Reply key = http.get("/api/v1/keys/" + a.keyId(), a.auth());
        assertEquals("default", key.map().get("name"));
        assertEquals("active", key.map().get("status"));
        assertEquals("default", http.get("/api/v1/projects/" + a.projectId(), a.auth()).map().get("name"));
    }
}
