package dev.tollgate.tenant.project;

import dev.tollgate.platform.redis.ChannelSubscription;
import dev.tollgate.platform.http.RawHttp;
import dev.tollgate.platform.tenant.ApiKeyGrant;
import dev.tollgate.platform.tenant.ApiKeyStore;
import dev.tollgate.platform.tenant.KeyInvalidations;
import dev.tollgate.tenant.ApiTestBase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProjectApiTest extends ApiTestBase {

    @Inject
    ApiKeyStore store;
    @Inject
    KeyInvalidations invalidations;

    @Test
    void createGetPatchListDelete() throws Exception {
        Tenant t = signup();
        RawHttp.Reply created = http.json("POST", "/api/v1/projects", json(Map.of("name", "prod", "limits", Map.of("rpm", 100))), t.auth());
        assertEquals(201, created.status(), created.body());
        String id = (String) created.map().get("id");
        assertEquals(100, ((Number) ((Map<?, ?>) created.map().get("limits")).get("rpm")).intValue());

        assertEquals("prod", http.get("/api/v1/projects/" + id, t.auth()).map().get("name"));

        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        try (ChannelSubscription ignored = invalidations.subscribe(messages::add)) {
            RawHttp.Reply patched = http.json("PATCH", "/api/v1/projects/" + id, json(Map.of("name", "production", "limits", Map.of("tpm", 5000))), t.auth());
            assertEquals(200, patched.status(), patched.body());
            assertEquals("production", patched.map().get("name"));
            assertEquals("tenant:" + t.tenantId(), messages.poll(5, TimeUnit.SECONDS), "project limits are in every key's grant");
        }
        List<?> data = (List<?>) http.get("/api/v1/projects", t.auth()).map().get("data");
        assertEquals(2, data.size());

        String key = (String) http.json("POST", "/api/v1/keys", json(Map.of("name", "p", "project_id", id)), t.auth()).map().get("key");
        ApiKeyGrant before = store.findByPublicId(key.substring(3, 15)).orElseThrow();
        assertEquals(5000L, before.projectLimits().tpm());

        try (ChannelSubscription ignored = invalidations.subscribe(messages::add)) {
            assertEquals(204, http.json("DELETE", "/api/v1/projects/" + id, null, t.auth()).status());
            assertEquals("key:" + key.substring(3, 15), messages.poll(5, TimeUnit.SECONDS));
        }
        ApiKeyGrant after = store.findByPublicId(key.substring(3, 15)).orElseThrow();
        assertTrue(after.revoked() && after.projectDeleted());
        assertError(http.get("/api/v1/projects/" + id, t.auth()), 404, "project_not_found");
        assertEquals(1, ((List<?>) http.get("/api/v1/projects", t.auth()).map().get("data")).size());
        // the name is free again once the project is deleted
        assertEquals(201, http.json("POST", "/api/v1/projects", "{\"name\":\"production\"}", t.auth()).status());
    }

    @Test
    void duplicateNamesAndBadInput() {
        Tenant t = signup();
        assertError(http.json("POST", "/api/v1/projects", "{\"name\":\"DEFAULT\"}", t.auth()), 409, "project_name_taken");
        assertError(http.json("POST", "/api/v1/projects", "{}", t.auth()), 400, "invalid_fields");
        assertError(http.json("POST", "/api/v1/projects", "{\"name\":\"  \"}", t.auth()), 400, "invalid_fields");
        assertError(http.json("POST", "/api/v1/projects", "{\"name\":\"x\",\"limits\":{\"rpm\":0}}", t.auth()), 400, "invalid_fields");
        assertError(http.json("POST", "/api/v1/projects", "{\"name\":42,", t.auth()), 400, "invalid_json");
        assertError(http.json("POST", "/api/v1/projects", "{\"name\":\"x\",\"limits\":[1]}", t.auth()), 400, "invalid_body");
        assertError(http.json("PATCH", "/api/v1/projects/zzz", "{\"name\":\"x\"}", t.auth()), 400, "invalid_parameter");
        assertError(http.json("PATCH", "/api/v1/projects/00000000-0000-0000-0000-000000000000", "{\"name\":\"x\"}", t.auth()),
                404, "project_not_found");
        assertError(http.json("PUT", "/api/v1/projects/" + t.projectId(), "{}", t.auth()), 405, "method_not_allowed");
        assertError(http.send("POST", "/api/v1/projects", "application/xml", "<p/>".getBytes(), t.auth()), 415, "unsupported_media_type");
    }
}
