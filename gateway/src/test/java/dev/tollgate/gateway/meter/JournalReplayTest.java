package dev.tollgate.gateway.meter;

import dev.tollgate.gateway.GatewayTest;
import dev.tollgate.gateway.GatewayTestSupport;
import dev.tollgate.platform.testing.TestServices;
import dev.tollgate.platform.usage.TokenUsage;
import dev.tollgate.platform.usage.UsageEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The usage journal loses and doubles nothing: through a PostgreSQL outage, and across a crash. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JournalReplayTest extends GatewayTest {

    @Inject
    UsageJournal journal;
    @Inject
    JsonMapper json;
    @Value("${datasources.default.url}")
    String jdbcUrl;

    @Override
    public Map<String, String> extraProperties() {
        return GatewayTestSupport.gatewayProperties(
                "tollgate.gateway.key-cache-ttl", "1h",
                "datasources.default.connection-timeout", "1000");
    }

    @Test
    void eventsWaitInTheJournalWhilePostgresIsAwayAndArriveOnceWhenItReturns() throws Exception {
        GatewayTestSupport.TestKey key = createKey();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest models = HttpRequest.newBuilder(URI.create(server.getURL() + "/v1/models"))
                .header("Authorization", "Bearer " + key.value()).build();
        assertEquals(200, http.send(models, HttpResponse.BodyHandlers.discarding()).statusCode(), "key cached before the outage");
        String database = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1).split("\\?")[0];
        String adminUrl = jdbcUrl.substring(0, jdbcUrl.lastIndexOf('/') + 1) + "postgres";
        int requests = 12;
        try (Connection admin = TestServices.connect(adminUrl); Statement s = admin.createStatement()) {
            s.execute("alter database " + database + " allow_connections false");
            s.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + database + "'");
            try {
                for (int i = 0; i < requests; i++) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/v1/chat/completions"))
                            .header("Authorization", "Bearer " + key.value()).header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"stream\":" + (i % 2 == 0)
                                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"during the outage\"}]}")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, r.statusCode(), r.body());
                }
                Thread.sleep(1500);
                assertTrue(journal.pending() >= requests, "events wait in the journal: " + journal.pending());
                assertTrue(Files.list(journal.directory()).anyMatch(p -> p.toString().endsWith(".ready")));
            } finally {
                s.execute("alter database " + database + " allow_connections true");
            }
        }
        assertTrue(journal.awaitFlushed(Duration.ofSeconds(60)), "replayed after PostgreSQL returned");
        try (Connection c = GatewayTestSupport.raw(dataSource).getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*), count(distinct request_id) from usage_event where tenant_id = '"
                     + key.tenantId() + "'")) {
            rs.next();
            assertEquals(requests, rs.getLong(1));
            assertEquals(requests, rs.getLong(2));
        }
        assertFalse(Files.list(journal.directory()).anyMatch(p -> p.toString().endsWith(".ready")));
    }

    @Test
    void segmentsLeftByACrashAreReplayedAtStartUpWithoutDuplicates() throws Exception {
        UUID tenant = UUID.randomUUID();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<UsageEvent> events = List.of(event("crash-1-" + tenant, tenant, at), event("crash-2-" + tenant, tenant, at),
                event("crash-3-" + tenant, tenant, at));
        // event 1 reached PostgreSQL before the crash; its segment was not yet deleted
        new UsageEventWriter(dataSource).insert(List.of(events.get(0)));
        Path dir = Files.createTempDirectory("tollgate-crashed-journal");
        Files.writeString(dir.resolve("seg-0000000000000000007.ready"),
                json.writeValueAsString(events.get(0)) + "\n" + json.writeValueAsString(events.get(1)) + "\n");
        // the open segment of the crash, with a torn last line
        String third = json.writeValueAsString(events.get(2));
        Files.writeString(dir.resolve("seg-0000000000000000008.open"), third + "\n" + third.substring(0, 40));

        Map<String, Object> props = new HashMap<>(getProperties());
        props.put("tollgate.meter.journal-dir", dir.toString());
        try (ApplicationContext restarted = ApplicationContext.run(props, "test")) {
            assertTrue(restarted.getBean(UsageJournal.class).awaitFlushed(Duration.ofSeconds(20)));
        }
        try (Connection c = GatewayTestSupport.raw(dataSource).getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*), count(distinct request_id) from usage_event where tenant_id = ?")) {
            ps.setObject(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(3, rs.getLong(1));
                assertEquals(3, rs.getLong(2));
            }
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("seg-")));
        }
    }

    @Test
    void aLineWrittenBeforeTheAudioAndCacheTtlCountsExistedReplaysWithZeros() throws Exception {
        UUID tenant = UUID.randomUUID();
        String requestId = "old-format-" + tenant;
        // a journal line as the gateway wrote it when TokenUsage had five counts
        String oldLine = "{\"requestId\":\"" + requestId + "\",\"occurredAt\":\"" + Instant.now().truncatedTo(ChronoUnit.MILLIS)
                + "\",\"tenantId\":\"" + tenant + "\",\"endpoint\":\"chat\",\"modelRequested\":\"claude-haiku-4-5\","
                + "\"modelServed\":\"claude-haiku-4-5\",\"provider\":\"anthropic\",\"streamed\":false,\"status\":200,"
                + "\"cacheStatus\":\"none\",\"usage\":{\"inputTokens\":1210,\"cachedInputTokens\":0,\"cacheWriteTokens\":1200,"
                + "\"outputTokens\":5,\"reasoningTokens\":0},\"latencyMs\":12,\"upstreamLatencyMs\":10,\"priced\":false}";
        UsageEvent parsed = json.readValue(oldLine, UsageEvent.class);
        assertEquals(new TokenUsage(1210, 0, 1200, 5, 0), parsed.usage(), "missing counts read as zero");
        assertEquals(1200, parsed.usage().cacheWrite5mTokens(), "an old cache write is a 5-minute one, as it was priced");

        Path dir = Files.createTempDirectory("tollgate-old-journal");
        Files.writeString(dir.resolve("seg-0000000000000000003.ready"), oldLine + "\n");
        Map<String, Object> props = new HashMap<>(getProperties());
        props.put("tollgate.meter.journal-dir", dir.toString());
        try (ApplicationContext restarted = ApplicationContext.run(props, "test")) {
            assertTrue(restarted.getBean(UsageJournal.class).awaitFlushed(Duration.ofSeconds(20)));
        }
        try (Connection c = GatewayTestSupport.raw(dataSource).getConnection();
             PreparedStatement ps = c.prepareStatement("select input_tokens, cache_write_tokens, cache_write_1h_tokens, "
                     + "input_audio_tokens, cached_input_audio_tokens, output_audio_tokens from usage_event where request_id = ?")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "the old line was replayed");
                assertEquals(1210, rs.getLong(1));
                assertEquals(1200, rs.getLong(2));
                for (int i = 3; i <= 6; i++) {
                    assertEquals(0, rs.getLong(i));
                }
            }
        }
    }

    private static UsageEvent event(String id, UUID tenant, Instant at) {
        return new UsageEvent(id, at, tenant, null, null, "chat", "gpt-4o-mini", "gpt-4o-mini", "openai", false, 200, null,
                "none", new TokenUsage(10, 0, 0, 5, 0), 12, 10L, null, null, null, null, null, false, null);
    }
}
