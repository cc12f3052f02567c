package dev.tollgate.portal;

import dev.tollgate.platform.simulator.SimulatorSettings;
import dev.tollgate.platform.simulator.UpstreamSimulator;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request log over the real gateway and its upstream simulators: a project that opted in to
 * request logging shows the prompt and answer as the gateway redacted them (escaped), one that did
 * not shows no text; routing attempts, filters by key, model and status, and paging; another
 * tenant's request id is a 404 page that shows nothing of it.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestLogTest extends PortalTestBase {

    private static final String PROMPT = "Mail jane.doe@example.com the card 4111 1111 1111 1111 <script>alert(1)</script>";
    private static final Pattern SECRET = Pattern.compile("tg_[A-Za-z0-9]+_[A-Za-z0-9]+");
    private static final Pattern PROMPT_TOKENS = Pattern.compile("\"prompt_tokens\"\\s*:\\s*(\\d+)");
    private static final Pattern COMPLETION_TOKENS = Pattern.compile("\"completion_tokens\"\\s*:\\s*(\\d+)");

    private final HttpClient http = HttpClient.newHttpClient();
    private UpstreamSimulator simulator;

    @Inject
    DataSource dataSource;

    @Override
    protected Map<String, String> moreProperties() {
        simulator = UpstreamSimulator.start(SimulatorSettings.defaults());
        Map<String, String> p = gatewaySettings(simulator);
        p.put("tollgate.portal.page-size", "2");
        return p;
    }

    @AfterAll
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void redactedTextAttemptsFiltersAndPagesOfTheTenantOnly() throws Exception {
        Browser a = browser();
        UUID tenant = tenantOf(a.signup("Log Co"));
        a.get("/keys");
        Browser.Page created = a.post("/keys", Map.of("name", "log-key"));
        assertEquals(201, created.status(), created.body());
        Matcher m = SECRET.matcher(created.body());
        assertTrue(m.find());
        String secret = m.group();
        UUID keyId = uuid("select id from api_key where tenant_id = ? and name = 'log-key'", tenant);
        UUID project = uuid("select project_id from api_key where id = ?", keyId);

        assertEquals(200, settings(a, project, "{\"request_logging\":true}").statusCode());
        HttpResponse<String> logged = chat(secret, "gpt-4o-mini", PROMPT);
        assertEquals(200, logged.statusCode(), logged.body());
        String loggedId = logged.headers().firstValue("x-request-id").orElseThrow();
        assertEquals(200, settings(a, project, "{\"request_logging\":false}").statusCode());
        HttpResponse<String> unlogged = chat(secret, "gpt-4o-mini", "Keep this plan to yourself");
        assertEquals(200, unlogged.statusCode(), unlogged.body());
        String unloggedId = unlogged.headers().firstValue("x-request-id").orElseThrow();
        // an hour earlier, without a key: answered by the fallback after the first target failed
        insertRoutedEvent(tenant, "req_routed", Instant.now().minus(1, ChronoUnit.HOURS));

        String detail = await(a, loggedId, "id=\"logged-response\"");
        assertTrue(detail.contains("id=\"request-model\">gpt-4o-mini"), detail);
        assertTrue(detail.contains(String.format("%,d input", tokens(PROMPT_TOKENS, logged.body()))), detail);
        assertTrue(detail.contains(String.format("%,d output", tokens(COMPLETION_TOKENS, logged.body()))), detail);
        assertTrue(detail.contains("Mail [EMAIL] the card [CARD]"), "the prompt as the gateway redacted it: " + detail);
        assertFalse(detail.contains("jane.doe") || detail.contains("4111"), "no personal data: " + detail);
        assertTrue(detail.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "escaped: " + detail);
        assertFalse(detail.contains("<script>alert"), detail);
        assertFalse(detail.contains("(no answer was logged)"), "the answer was kept too: " + detail);

        String plain = await(a, unloggedId, "id=\"not-logged\"");
        assertFalse(plain.contains("Keep this plan") || plain.contains("logged-response"), "nothing kept without opt-in: " + plain);
        assertTrue(plain.contains("One call to openai"), plain);

        String routed = a.get("/requests/req_routed").body();
        String attempts = between(routed, "<table id=\"attempts-table\">", "</table>");
        assertEquals(2, count(attempts, "<tr>") - 1, "both attempts in order: " + attempts);
        assertTrue(attempts.indexOf("openai/gpt-4o") < attempts.indexOf("anthropic/claude-3-5-haiku"), attempts);
        assertTrue(attempts.contains(">503<") && attempts.contains(">upstream_error<") && attempts.contains(">120 ms<"), attempts);

        // two a page, newest first: the two gateway requests, then the routed one
        Browser.Page first = a.get("/requests");
        String firstTable = between(first.body(), "<table id=\"requests-table\">", "</table>");
        assertTrue(firstTable.indexOf(unloggedId) < firstTable.indexOf(loggedId), firstTable);
        assertFalse(firstTable.contains("req_routed"), firstTable);
        assertEquals(1, count(firstTable, ">logged<"), "the logged one is marked: " + firstTable);
        String older = between(first.body(), "id=\"older-page\" rel=\"next\" href=\"", "\"").replace("&amp;", "&");
        Browser.Page second = a.get(older);
        assertEquals(200, second.status(), older);
        String secondTable = between(second.body(), "<table id=\"requests-table\">", "</table>");
        assertTrue(secondTable.contains("req_routed") && !secondTable.contains(loggedId), secondTable);
        assertTrue(secondTable.contains("<td class=\"num\">1</td>"), "one fallback: " + secondTable);
        assertFalse(second.body().contains("id=\"older-page\""), "the last page");
        assertTrue(second.body().contains("id=\"newest-page\""));

        String byKey = a.get("/requests?key=" + keyId).body();
        assertTrue(byKey.contains(loggedId) && byKey.contains(unloggedId) && !byKey.contains("req_routed"), byKey);
        String byModel = a.get("/requests?model=claude-3-5-haiku").body();
        assertTrue(byModel.contains("req_routed") && !byModel.contains(loggedId), byModel);
        assertTrue(a.get("/requests?status=error").body().contains("No requests in this range yet"));
        String byStatus = a.get("/requests?status=200&key=" + keyId).body();
        assertTrue(byStatus.contains(loggedId) && byStatus.contains("<option value=\"200\" selected=\"selected\">200</option>"), byStatus);
        assertTrue(a.get("/requests?status=teapot").body().contains("is ok, error or an HTTP status"), "a bad filter is a message");

        Browser b = browser();
        b.signup("Nosy Co");
        for (String id : new String[] {loggedId, unloggedId, "req_routed"}) {
            Browser.Page foreign = b.get("/requests/" + id);
            assertEquals(404, foreign.status(), foreign.body());
            assertTrue(foreign.header("Content-Type").startsWith("text/html"), "an error page");
            assertTrue(foreign.body().contains("No such request in your organization"), foreign.body());
            assertFalse(foreign.body().contains("[EMAIL]") || foreign.body().contains("gpt-4o") || foreign.body().contains("log-key"),
                    foreign.body());
            assertFalse(b.get("/requests/" + id + "/cost", "HX-Request", "true").body().contains("play-cost-value"));
        }
        Browser.Page theirs = b.get("/requests?from=2000-01-01");
        assertFalse(theirs.body().contains(loggedId) || theirs.body().contains("req_routed"), theirs.body());
        assertFalse(b.get("/requests?key=" + keyId).body().contains(loggedId), "another tenant's key filter finds nothing");
    }

    /** The detail page of a request once it holds {@code marker} (the meter and the request log write in the background). */
    private String await(Browser browser, String requestId, String marker) throws InterruptedException {
        Browser.Page page = null;
        for (int i = 0; i < 100; i++) {
            page = browser.get("/requests/" + requestId);
            if (page.status() == 200 && page.body().contains(marker)) {
                return page.body();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(requestId + " never showed " + marker + ": " + page.status() + " " + page.body());
    }

    private HttpResponse<String> chat(String key, String model, String prompt) throws IOException, InterruptedException {
        String body = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
        return http.send(HttpRequest.newBuilder(server.getURI().resolve("/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The project settings API, authenticated by the portal session's token as a bearer token. */
    private HttpResponse<String> settings(Browser browser, UUID project, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(server.getURI().resolve("/api/v1/projects/" + project + "/settings"))
                .header("Authorization", "Bearer " + browser.cookie("tg_session")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long tokens(Pattern field, String json) {
        Matcher m = field.matcher(json);
        assertTrue(m.find(), json);
        return Long.parseLong(m.group(1));
    }

    private void insertRoutedEvent(UUID tenant, String requestId, Instant at) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement("""
                insert into usage_event (request_id, occurred_at, tenant_id, endpoint, model_requested, model_served, provider,
                    status, input_tokens, output_tokens, latency_ms, cost_usd, billed_usd, priced, attempts)
                values (?, ?, ?, 'chat', 'gpt-4o', 'claude-3-5-haiku', 'anthropic', 200, 50, 5, 480, 0.001, 0.001, true,
                        '[{"target":"openai/gpt-4o","outcome":"error","status":503,"latency_ms":120,"error":"upstream_error"},
                          {"target":"anthropic/claude-3-5-haiku","outcome":"ok","status":200,"latency_ms":340}]'::jsonb)""")) {
            ps.setString(1, requestId);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setObject(3, tenant);
            ps.executeUpdate();
        }
    }

    private Connection connection() throws SQLException {
        return DelegatingDataSource.unwrapDataSource(dataSource).getConnection();
    }

    private UUID tenantOf(String email) throws SQLException {
        return uuid("select m.tenant_id from membership m join app_user u on u.id = m.user_id where u.email = ?", email);
    }

    private UUID uuid(String sql, Object param) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), sql);
                return rs.getObject(1, UUID.class);
            }
        }
    }

    private static String between(String text, String start, String end) {
        int s = text.indexOf(start);
        assertTrue(s >= 0, start + " not in " + text);
        return text.substring(s + start.length(), text.indexOf(end, s + start.length()));
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
