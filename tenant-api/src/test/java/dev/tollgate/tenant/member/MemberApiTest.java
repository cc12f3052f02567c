package dev.tollgate.tenant.member;

import dev.tollgate.platform.http.RawHttp;
import dev.tollgate.tenant.ApiTestBase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MemberApiTest extends ApiTestBase {

    @Override
    protected Map<String, String> moreProperties() {
        return Map.of("tollgate.tenant-api.invite-url", "https://portal.example.com/invite");
    }

    @Test
    void inviteQueuesMailWithOneTimeLinkAndAcceptSignsIn() throws Exception {
        Tenant t = signup("Initech");
        RawHttp.Reply invite = http.json("POST", "/api/v1/members", json(Map.of("email", "Milton@Example.com", "role", "member")), t.auth());
        assertEquals(201, invite.status(), invite.body());
        assertEquals("invited", invite.map().get("status"));
        assertEquals("milton@example.com", invite.map().get("email"));

        String token = inviteToken("milton@example.com");
        try (Connection c = connect();
             PreparedStatement ps = c.prepareStatement("select subject, body_text, tenant_id::text from mail_outbox where kind = 'invite'");
             ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next());
            assertTrue(rs.getString(1).contains("Initech"));
            assertTrue(rs.getString(2).contains("https://portal.example.com/invite?token=" + token));
            assertEquals(t.tenantId(), rs.getString(3));
        }
        try (Connection c = connect();
             PreparedStatement ps = c.prepareStatement("select count(*) from invite where encode(token_hash, 'escape') like ?")) {
            ps.setString(1, "%" + token + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getInt(1), "only a hash of the token is stored");
            }
        }

        assertError(http.json("POST", "/api/v1/invites/accept", json(Map.of("token", token, "password", "short"))), 400, "invalid_fields");
        RawHttp.Reply accepted = http.json("POST", "/api/v1/invites/accept", json(Map.of("token", token, "password", "stapler stapler")));
        assertEquals(200, accepted.status(), accepted.body());
        assertEquals("member", accepted.map().get("role"));
        assertEquals(t.tenantId(), accepted.map().get("tenant_id"));
        String memberToken = (String) accepted.map().get("access_token");
        assertEquals(200, http.get("/api/v1/keys", "Authorization", "Bearer " + memberToken).status());

        assertError(http.json("POST", "/api/v1/invites/accept", json(Map.of("token", token, "password", "stapler stapler"))), 409, "invite_used");
        assertError(http.json("POST", "/api/v1/invites/accept", json(Map.of("token", "no-such-token", "password", "stapler stapler"))),
                404, "invite_not_found");
        assertEquals(200, http.json("POST", "/api/v1/login", json(Map.of("email", "milton@example.com", "password", "stapler stapler"))).status());

        List<?> members = (List<?>) http.get("/api/v1/members", t.auth()).map().get("data");
        assertEquals(2, members.size());
    }

    @Test
    void expiredAndWithdrawnInvitesDoNotWork() throws Exception {
        Tenant t = signup();
        http.json("POST", "/api/v1/members", json(Map.of("email", "late@example.com", "role", "viewer")), t.auth());
        String lateToken = inviteToken("late@example.com");
        try (Connection c = connect();
             PreparedStatement ps = c.prepareStatement("update invite set expires_at = now() - interval '1 minute' where email = 'late@example.com'")) {
            ps.executeUpdate();
        }
        assertError(http.json("POST", "/api/v1/invites/accept", json(Map.of("token", lateToken, "password", "long enough pw"))), 410, "invite_expired");

        RawHttp.Reply invite = http.json("POST", "/api/v1/members", json(Map.of("email", "gone@example.com", "role", "viewer")), t.auth());
        String goneToken = inviteToken("gone@example.com");
        assertEquals(204, http.json("DELETE", "/api/v1/members/" + invite.map().get("id"), null, t.auth()).status());
        assertError(http.json("POST", "/api/v1/invites/accept", json(Map.of("token", goneToken, "password", "long enough pw"))), 404, "invite_not_found");

        // inviting again replaces the pending invitation: only the newest link works
        http.json("POST", "/api/v1/members", json(Map.of("email", "twice@example.com", "role", "viewer")), t.auth());
        String first = inviteToken("twice@example.com");
        Thread.sleep(5);
        http.json("POST", "/api/v1/members", json(Map.of("email", "twice@example.com", "role", "admin")), t.auth());
        String second = inviteToken("twice@example.com");
        assertFalse(first.equals(second));
        assertError(http.json("POST", "/api/v1/invites/accept", json(Map.of("token", first, "password", "long enough pw"))), 404, "invite_not_found");
        RawHttp.Reply ok = http.json("POST", "/api/v1/invites/accept", json(Map.of("token", second, "password", "long enough pw")));
        assertEquals("admin", ok.map().get("role"), ok.body());
    }

    @Test
    void membersConflictsAndBadInput() {
        Tenant t = signup();
        Tenant other = signup();
        assertError(http.json("POST", "/api/v1/members", json(Map.of("email", t.email(), "role", "admin")), t.auth()), 409, "already_member");
        assertError(http.json("POST", "/api/v1/members", json(Map.of("email", other.email(), "role", "admin")), t.auth()), 409, "email_taken");
        assertError(http.json("POST", "/api/v1/members", json(Map.of("email", "x@example.com", "role", "god")), t.auth()), 400, "invalid_fields");
        assertError(http.json("POST", "/api/v1/members", json(Map.of("email", "nope", "role", "viewer")), t.auth()), 400, "invalid_fields");
        assertError(http.json("PATCH", "/api/v1/members/" + t.userId(), json(Map.of("role", "admin")), t.auth()), 409, "last_owner");
        assertError(http.json("DELETE", "/api/v1/members/" + t.userId(), null, t.auth()), 409, "last_owner");
    }

    @Test
    void ownerRulesAndRemovalTakeEffectAtOnce() {
        Tenant t = signup();
        Member admin = member(t, "admin");
        Member secondOwner = member(t, "owner");
        Member viewer = member(t, "viewer");

        // an admin cannot touch owners or make owners
        assertError(http.json("PATCH", "/api/v1/members/" + secondOwner.userId(), json(Map.of("role", "viewer")), admin.auth()), 403, "insufficient_role");
        assertError(http.json("PATCH", "/api/v1/members/" + viewer.userId(), json(Map.of("role", "owner")), admin.auth()), 403, "insufficient_role");
        assertError(http.json("POST", "/api/v1/members", json(Map.of("email", "o@example.com", "role", "owner")), admin.auth()), 403, "insufficient_role");
        // but can promote a viewer, and the new role applies to the token already held
        assertError(http.json("POST", "/api/v1/keys", "{\"name\":\"v\"}", viewer.auth()), 403, "insufficient_role");
        assertEquals(200, http.json("PATCH", "/api/v1/members/" + viewer.userId(), json(Map.of("role", "member")), admin.auth()).status());
        assertEquals(201, http.json("POST", "/api/v1/keys", "{\"name\":\"v\"}", viewer.auth()).status());

        // with two owners one may step down
        assertEquals(200, http.json("PATCH", "/api/v1/members/" + secondOwner.userId(), json(Map.of("role", "admin")), t.auth()).status());

        // a removed member's token stops working at once, and the address is free again
        assertEquals(204, http.json("DELETE", "/api/v1/members/" + viewer.userId(), null, admin.auth()).status());
        assertError(http.get("/api/v1/keys", viewer.auth()), 401, null);
        assertEquals(201, http.json("POST", "/api/v1/members", json(Map.of("email", viewer.email(), "role", "viewer")), t.auth()).status());
    }
}
