package dev.tollgate.tenant;

import dev.tollgate.platform.http.RawHttp;
import dev.tollgate.platform.testing.RealServices;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
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
