package dev.tollgate.gateway.guard;

import dev.tollgate.gateway.GatewayCalls;
import dev.tollgate.gateway.GatewayTest;
import dev.tollgate.gateway.GatewayTestSupport;
import dev.tollgate.platform.security.Role;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PII per project: settings API, redact (the upstream sees placeholders), block (400 with categories), redacted request log. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GuardTest extends GatewayTest {

    static final String PROMPT = "Write to jane.doe@example.com or call +1 415 555 0132 about card 4111 1111 1111 1111";
    static final String REDACTED = "Write to [EMAIL] or call [PHONE] about card [CARD]";

    @Inject
    JsonMapper json;

    GatewayTestSupport.TestKey key;
    String admin;

    @Override
    public Map<String, String> extraProperties() {
        return GatewayTestSupport.gatewayProperties("tollgate.guard.settings-cache-ttl", "100ms");
    }

    @BeforeAll
    void setUp() throws Exception {
        key = createKey();
        admin = token(key, Role.ADMIN);
    }

    HttpResponse<String> settings(String body) throws Exception {
        return calls.send("PUT", "/api/v1/projects/" + key.projectId() + "/settings", admin, body);
    }

    String content(HttpResponse<String> r) throws Exception {
        Map<String, Object> body = json.readValue(r.body(), Argument.mapOf(String.class, Object.class));
        return (String) ((Map<?, ?>) ((Map<?, ?>) ((List<?>) body.get("choices")).get(0)).get("message")).get("content");
    }

    @Test
    void settingsApi() throws Exception {
        assertEquals("{\"pii\":\"off\",\"request_logging\":false}",
                calls.send("GET", "/api/v1/projects/" + key.projectId() + "/settings", admin, null).body());
        assertEquals(400, settings("{\"pii\":\"maybe\"}").statusCode());
        assertEquals(400, settings("{\"request_logging\":\"yes\"}").statusCode());
        assertEquals(400, settings("{\"colour\":\"blue\"}").statusCode());
        String member = token(key, Role.MEMBER);
        assertEquals(403, calls.send("PUT", "/api/v1/projects/" + key.projectId() + "/settings", member, "{\"pii\":\"off\"}").statusCode());
        GatewayTestSupport.TestKey other = createKey();
        String otherAdmin = token(other, Role.OWNER);
        assertEquals(404, calls.send("GET", "/api/v1/projects/" + key.projectId() + "/settings", otherAdmin, null).statusCode());
        assertEquals(404, calls.send("PUT", "/api/v1/projects/" + key.projectId() + "/settings", otherAdmin, "{\"pii\":\"off\"}").statusCode());
        calls.exec("update project set settings = '{\"theme\":\"dark\"}'::jsonb where id = ?", key.projectId());
        HttpResponse<String> r = settings("{\"pii\":\"redact\"}");
        assertEquals("{\"pii\":\"redact\",\"request_logging\":false}", r.body());
        String stored = (String) calls.rows("select settings::text as s from project where id = ?", key.projectId()).get(0).get("s");
        assertTrue(stored.contains("\"theme\": \"dark\""), "other settings are kept: " + stored);
        settings("{\"pii\":\"off\",\"request_logging\":false}");
    }

    @Test
    void redactBlockAndLog() throws Exception {
        // the simulator's answer is a function of the last user message: equal answers mean equal prompts upstream
        String expected = content(calls.chat(key.value(), GatewayCalls.chatBody("gpt-4o-mini", REDACTED, false)));
        assertFalse(expected.equals(content(calls.chat(key.value(), GatewayCalls.chatBody("gpt-4o-mini", PROMPT, false)))),
                "with pii off the upstream sees the original");

        assertEquals(200, settings("{\"pii\":\"redact\",\"request_logging\":true}").statusCode());
        Thread.sleep(300);
        HttpResponse<String> redacted = calls.chat(key.value(), GatewayCalls.chatBody("gpt-4o-mini", PROMPT, false));
        assertEquals(200, redacted.statusCode(), redacted.body());
        assertEquals(expected, content(redacted), "the upstream saw the placeholders");
        HttpResponse<String> streamed = calls.chat(key.value(), GatewayCalls.chatBody("claude-3-5-haiku-latest", PROMPT, true));
        assertEquals(200, streamed.statusCode());

        String requestId = redacted.headers().firstValue("x-request-id").orElseThrow();
        Map<String, Object> row = logRow(requestId);
        String logged = (String) row.get("request");
        assertTrue(logged.contains(REDACTED), logged);
        assertFalse(logged.contains("jane.doe") || logged.contains("4111") || logged.contains("555 0132"), logged);
        assertEquals(content(redacted), row.get("response"));
        assertEquals(200, row.get("status"));
        assertTrue(((String) logRow(streamed.headers().firstValue("x-request-id").orElseThrow()).get("request")).contains(REDACTED));

        assertEquals(200, settings("{\"pii\":\"block\"}").statusCode());
        Thread.sleep(300);
        HttpResponse<String> blocked = calls.chat(key.value(), GatewayCalls.chatBody("gpt-4o-mini",
                "my key is sk-proj-abcdefghijklmnopqrstuvwx1234 and ssn 123-45-6789", false));
        assertEquals(400, blocked.statusCode());
        Map<?, ?> error = (Map<?, ?>) json.readValue(blocked.body(), Map.class).get("error");
        assertEquals("pii_detected", error.get("code"));
        assertTrue(((String) error.get("message")).contains("secret, national_id"), blocked.body());
        assertFalse(blocked.body().contains("abcdefghij") || blocked.body().contains("6789"), "never the values: " + blocked.body());
        assertEquals(400, calls.usageEvent(blocked.headers().firstValue("x-request-id").orElseThrow()).get("status"));
        assertEquals(200, calls.chat(key.value(), GatewayCalls.chatBody("gpt-4o-mini", "Nothing personal here", false)).statusCode());
        String anthropic = "{\"model\":\"claude-3-5-haiku-latest\",\"max_tokens\":16,\"system\":\"Reply to jane@example.com\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpResponse<String> blockedMessages = calls.post("/v1/messages", key.value(), anthropic);
        assertEquals(400, blockedMessages.statusCode(), "the system prompt is scanned too");
        assertTrue(blockedMessages.body().contains("\"invalid_request_error\"") && blockedMessages.body().contains("email"),
                blockedMessages.body());

        settings("{\"pii\":\"off\",\"request_logging\":false}");
        Thread.sleep(300);
        HttpResponse<String> notLogged = calls.chat(key.value(), GatewayCalls.chatBody("gpt-4o-mini", "no log please", false));
        calls.usageEvent(notLogged.headers().firstValue("x-request-id").orElseThrow());
        Thread.sleep(500);
        assertTrue(calls.rows("select 1 from request_log where request_id = ?",
                notLogged.headers().firstValue("x-request-id").orElseThrow()).isEmpty(), "logging is opt-in");
    }

    Map<String, Object> logRow(String requestId) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            List<Map<String, Object>> rows = calls.rows("select request::text as request, response, status from request_log where request_id = ?", requestId);
            if (!rows.isEmpty()) {
                return rows.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no request log row for " + requestId);
    }
}
