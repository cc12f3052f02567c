package dev.tollgate.tenant;

import dev.tollgate.platform.http.RawHttp;
import dev.tollgate.platform.testing.RealServices;
import dev.tollgate.platform.testing.TestServices;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Helpers of the tenant API tests: a raw HTTP client on the running server, sign-up of fresh
 * tenants, and JSON building. Subclasses carry {@code @MicronautTest} and {@code PER_CLASS}.
 */
public abstract class ApiTestBase implements RealServices {

    @Inject
    protected EmbeddedServer server;
    @Inject
    protected JsonMapper jsonMapper;
    @Value("${datasources.default.url}")
    protected String jdbcUrl;

    protected RawHttp http;

    /** A signed-up tenant: ids, first key and the owner's credentials and token. */
    public record Tenant(String tenantId, String userId, String projectId, String keyId, String apiKey,
                         String email, String password, String token) {
        public String[] auth() {
            return new String[] {"Authorization", "Bearer " + token};
        }
    }

    @Override
    public Map<String, String> extraProperties() {
        Map<String, String> props = new HashMap<>();
        props.put("tollgate.tenant-api.bcrypt-cost", "4");
        props.put("micronaut.security.reject-not-found", "false");
        props.putAll(moreProperties());
        return props;
    }

    protected Map<String, String> moreProperties() {
        return Map.of();
    }

    @BeforeAll
    void rawClient() {
        http = new RawHttp(server.getURI(), jsonMapper);
    }

    protected Tenant signup() {
        return signup("Org " + UUID.randomUUID().toString().substring(0, 8));
    }

    protected Tenant signup(String organization) {
        String email = "owner-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String password = "correct horse battery";
        RawHttp.Reply r = http.json("POST", "/api/v1/signup", json(Map.of("email", email, "password", password, "organization", organization)));
        assertEquals(201, r.status(), r.body());
        Map<String, Object> m = r.map();
        return new Tenant((String) m.get("tenant_id"), (String) m.get("user_id"), (String) m.get("project_id"),
                (String) m.get("api_key_id"), (String) m.get("api_key"), email, password, (String) m.get("access_token"));
    }

    /**
     * Invites a fresh address into {@code t} with {@code role}, reads the link token from the
     * queued invitation mail (as the invitee would) and accepts it. Returns the member's token.
     */
    protected Member member(Tenant t, String role) {
        String email = role + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        RawHttp.Reply invite = http.json("POST", "/api/v1/members", json(Map.of("email", email, "role", role)), t.auth());
        assertEquals(201, invite.status(), invite.body());
        String token = inviteToken(email);
        RawHttp.Reply accepted = http.json("POST", "/api/v1/invites/accept",
                json(Map.of("token", token, "password", "member password 1")));
        assertEquals(200, accepted.status(), accepted.body());
        return new Member((String) accepted.map().get("user_id"), email, (String) accepted.map().get("access_token"));
    }

    /** A member of a tenant and their access token. */
    public record Member(String userId, String email, String token) {
        public String[] auth() {
            return new String[] {"Authorization", "Bearer " + token};
        }
    }

    /** The one-time token in the newest invitation mail to {@code email}. */
    protected String inviteToken(String email) {
        try (Connection c = connect();
             PreparedStatement ps = c.prepareStatement(
                     "select body_text from mail_outbox where ? = any(recipients) and kind = 'invite' order by created_at desc limit 1")) {
            ps.setString(1, email);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new AssertionError("no invitation mail to " + email);
                }
                Matcher m = Pattern.compile("token=([A-Za-z0-9_-]+)").matcher(rs.getString(1));
                if (!m.find()) {
                    throw new AssertionError("no token link in the invitation mail");
                }
                return m.group(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A plain auto-commit connection to this test's database, outside the application's transactions. */
    protected Connection connect() throws SQLException {
        return TestServices.connect(jdbcUrl);
    }

    protected String json(Object value) {
        try {
            return jsonMapper.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts an ErrorBody with this status and code, and returns its error object. */
    protected Map<String, Object> assertError(RawHttp.Reply reply, int status, String code) {
        assertEquals(status, reply.status(), reply.body());
        Map<String, Object> error = reply.error();
        if (code != null) {
            assertEquals(code, error.get("code"), reply.body());
        }
        return error;
    }
}
