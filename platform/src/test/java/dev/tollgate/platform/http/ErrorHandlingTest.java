package dev.tollgate.platform.http;

import dev.tollgate.platform.testing.RealServices;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorHandlingTest implements RealServices {

    @Inject
    EmbeddedServer server;
    @Inject
    JsonMapper json;

    RawHttp http;

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("probe.enabled", "true",
                "micronaut.server.max-request-size", "4096",
                "micronaut.security.reject-not-found", "false");
    }

    @BeforeAll
    void client() {
        http = new RawHttp(server.getURI(), json);
    }

    @Test
    void validBodyIsServed() {
        RawHttp.Reply r = http.json("POST", "/probe/orders", "{\"name\":\"a\",\"quantity\":2}");
        assertEquals(200, r.status(), r.body());
        assertEquals(2, ((Number) r.map().get("quantity")).intValue());
    }

    @Test
    void apiExceptionKeepsStatusBodyAndRetryAfter() {
        RawHttp.Reply r = http.get("/probe/limited");
        assertEquals(429, r.status());
        assertEquals("3", r.header("Retry-After"));
        assertEquals("rate_limit_error", r.error().get("type"));
        assertEquals("rate_limited", r.error().get("code"));
        assertEquals("too many requests, slow down", r.error().get("message"));
    }

    @Test
    void malformedJsonIs400() {
        RawHttp.Reply r = http.json("POST", "/probe/orders", "{\"name\": \"a\", ");
        assertEquals(400, r.status(), r.body());
        assertEquals("invalid_request_error", r.error().get("type"));
        assertEquals("invalid_json", r.error().get("code"));
        assertTrue(((String) r.error().get("message")).startsWith("Malformed JSON"), r.body());
        assertTrue(r.error().containsKey("param") && r.error().get("param") == null, "param: null, as OpenAI sends it: " + r.body());
        assertFalse(r.error().containsKey("fields"), r.body());
    }

    @Test
    void wrongTypeInBodyIs400() {
        RawHttp.Reply r = http.json("POST", "/probe/orders", "{\"name\":\"a\",\"quantity\":\"many\"}");
        assertEquals(400, r.status(), r.body());
        assertEquals("invalid_body", r.error().get("code"));
        assertTrue(((String) r.error().get("message")).contains("Integer"), r.body());
    }

    @Test
    void jsonArrayInsteadOfObjectIs400() {
        RawHttp.Reply r = http.json("POST", "/probe/orders", "[1,2]");
        assertEquals(400, r.status(), r.body());
        assertEquals("invalid_request_error", r.error().get("type"));
    }

    @Test
    void missingBodyIs400() {
        RawHttp.Reply r = http.json("POST", "/probe/orders", null);
        assertEquals(400, r.status(), r.body());
        assertEquals("invalid_request_error", r.error().get("type"));
        assertEquals("missing_body", r.error().get("code"));
    }

    @Test
    void validationFailureListsFieldsInSnakeCase() {
        RawHttp.Reply r = http.json("POST", "/probe/orders",
                "{\"name\":\"\",\"quantity\":-1,\"contact\":{\"email_address\":\"not-an-email\"}}");
        assertEquals(400, r.status(), r.body());
        assertEquals("invalid_fields", r.error().get("code"));
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) r.error().get("fields");
        assertEquals(3, fields.size(), r.body());
        assertTrue(fields.containsKey("name"), r.body());
        assertTrue(fields.containsKey("quantity"), r.body());
        assertTrue(fields.containsKey("contact.email_address"), r.body());
    }

    @Test
    void badUuidInPathIs400WithParam() {
        RawHttp.Reply r = http.get("/probe/orders/not-a-uuid");
        assertEquals(400, r.status(), r.body());
        assertEquals("id", r.error().get("param"));
    }

    @Test
    void wrongTypeAndMissingQueryParameterAre400WithParam() {
        RawHttp.Reply wrong = http.get("/probe/search?limit=ten");
        assertEquals(400, wrong.status(), wrong.body());
        assertEquals("limit", wrong.error().get("param"));
        RawHttp.Reply missing = http.get("/probe/search");
        assertEquals(400, missing.status(), missing.body());
        assertEquals("limit", missing.error().get("param"));
        assertEquals("missing_parameter", missing.error().get("code"));
    }

    @Test
    void unknownRouteIs404() {
        RawHttp.Reply r = http.get("/probe/nothing-here");
        assertEquals(404, r.status(), r.body());
        assertEquals("not_found_error", r.error().get("type"));
        assertTrue(((String) r.error().get("message")).contains("/probe/nothing-here"));
    }

    @Test
    void wrongMethodIs405() {
        RawHttp.Reply r = http.json("DELETE", "/probe/orders", null);
        assertEquals(405, r.status(), r.body());
        assertEquals("method_not_allowed", r.error().get("code"));
        assertTrue(((String) r.error().get("message")).contains("POST"), r.body());
    }

    @Test
    void unsupportedMediaTypeIs415() {
        RawHttp.Reply r = http.send("POST", "/probe/orders", "text/plain", "name=a".getBytes());
        assertEquals(415, r.status(), r.body());
        assertEquals("unsupported_media_type", r.error().get("code"));
    }

    @Test
    void bodyOverMaxRequestSizeIs413() {
        String big = "{\"name\":\"" + "x".repeat(10_000) + "\",\"quantity\":1}";
        RawHttp.Reply r = http.json("POST", "/probe/orders", big);
        assertEquals(413, r.status(), r.body());
        assertEquals("request_too_large", r.error().get("code"));
    }

    @Test
    void unexpectedExceptionIsGeneric500WithReference() {
        RawHttp.Reply r = http.get("/probe/boom");
        assertEquals(500, r.status(), r.body());
        assertEquals("api_error", r.error().get("type"));
        assertEquals("internal_error", r.error().get("code"));
        String reference = r.header(ErrorBodyResponseProcessor.ERROR_ID_HEADER);
        assertNotNull(reference);
        assertTrue(((String) r.error().get("message")).contains(reference));
        assertFalse(r.body().contains("hunter2"), r.body());
        assertFalse(r.body().contains("IllegalStateException"), r.body());
    }

    @Test
    void unauthenticatedIs401InErrorShape() {
        RawHttp.Reply r = http.get("/probe/private");
        assertEquals(401, r.status(), r.body());
        assertEquals("authentication_error", r.error().get("type"));
    }
}
