package dev.tollgate.gateway.limit;

import dev.tollgate.gateway.GatewayTest;
import dev.tollgate.gateway.GatewayTestSupport;
import dev.tollgate.gateway.meter.UsageJournal;
import dev.tollgate.platform.redis.RedisNamespace;
import dev.tollgate.platform.time.SettableClock;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Quota days and budget months in the tenant's time zone, and budget spend counters that Redis
 * lost seeded again from {@code usage_event}.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuotaPeriodTest extends GatewayTest {

    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    @Inject
    UsageJournal journal;
    @Inject
    SettableClock clock;
    @Inject
    RedisNamespace namespace;
    @Inject
    StatefulRedisConnection<String, String> redis;

    final HttpClient http = HttpClient.newHttpClient();

    @Override
    public Map<String, String> extraProperties() {
        return GatewayTestSupport.gatewayProperties(
                "test.flat-price-book", "true",
                "test.settable-clock", "true",
                "tollgate.limits.redis-timeout", "5s");
    }

    @AfterEach
    void realTime() {
        clock.reset();
    }

    HttpResponse<String> chat(String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"gpt-4o-mini\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Calls until a request is refused; returns how many were admitted before it, and the refusal. */
    private HttpResponse<String> useUp(String key, int expectedStatus) throws Exception {
        for (int i = 0; i < 40; i++) {
            HttpResponse<String> r = chat(key);
            if (r.statusCode() != 200) {
                assertEquals(expectedStatus, r.statusCode(), r.body());
                return r;
            }
        }
        throw new AssertionError("never refused");
    }

    private void timeZone(UUID tenantId, ZoneId zone) throws Exception {
        try (Connection c = GatewayTestSupport.raw(dataSource).getConnection()) {
            GatewayTestSupport.exec(c, "update tenant set time_zone = ? where id = ?", zone.getId(), tenantId);
        }
    }

    @Test
    void dailyTokenQuotaStartsAtTheTenantsMidnight() throws Exception {
        GatewayTestSupport.TestKey key = createKey("{\"tokens_per_day\": 60}", "{}", "{}", "{}");
        timeZone(key.tenantId(), TOKYO);
        // 23:50 in Tokyo on 10 March, 14:50 UTC
        clock.set(Instant.parse("2026-03-10T14:50:00Z"));
        HttpResponse<String> refused = useUp(key.value(), 429);
        assertTrue(refused.body().contains("token_quota_exceeded"), refused.body());
        // ten minutes to the Tokyo midnight: Retry-After says so (not the 9 h 10 min to UTC midnight)
        long retry = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retry > 0 && retry <= 600, "Retry-After " + retry);

        // 00:10 on 11 March in Tokyo, still 10 March in UTC: a new day for this tenant
        clock.set(Instant.parse("2026-03-10T15:10:00Z"));
        assertEquals(200, chat(key.value()).statusCode());
        useUp(key.value(), 429);

        // UTC's midnight is not the tenant's: 09:10 on 11 March in Tokyo is the same day
        clock.set(Instant.parse("2026-03-11T00:10:00Z"));
        assertEquals(429, chat(key.value()).statusCode());
    }

    @Test
    void monthlyTokenQuotaStartsOnTheTenantsFirstOfTheMonth() throws Exception {
        GatewayTestSupport.TestKey key = createKey("{\"tokens_per_month\": 60}", "{}", "{}", "{}");
        timeZone(key.tenantId(), TOKYO);
        // 23:50 on 31 March in Tokyo, 14:50 UTC
        clock.set(Instant.parse("2026-03-31T14:50:00Z"));
        HttpResponse<String> refused = useUp(key.value(), 429);
        assertTrue(refused.body().contains("token_quota_exceeded"), refused.body());
        assertTrue(refused.body().contains("tokens per month"), refused.body());
        long retry = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retry > 0 && retry <= 600, "ten minutes to the Tokyo month end, not nine hours to UTC's: Retry-After " + retry);

        // 00:10 on 1 April in Tokyo, still 31 March in UTC: a new month for this tenant
        clock.set(Instant.parse("2026-03-31T15:10:00Z"));
        assertEquals(200, chat(key.value()).statusCode());
        useUp(key.value(), 429);

        // UTC's new month is not the tenant's: 09:10 on 1 April in Tokyo is the same month as 00:10
        clock.set(Instant.parse("2026-04-01T00:10:00Z"));
        assertEquals(429, chat(key.value()).statusCode());
    }

    @Test
    void monthlyBudgetOutlivesLostRedisCounters() throws Exception {
        GatewayTestSupport.TestKey key = GatewayTestSupport.createKey(dataSource, hasher,
                "{}", "{}", "{\"budget_usd_per_month\": 0.30}", "{}");
        timeZone(key.tenantId(), TOKYO);
        HttpResponse<String> refused = useUp(key.value(), 402);
        assertTrue(refused.body().contains("budget_exceeded"), refused.body());
        assertTrue(journal.awaitFlushed(Duration.ofSeconds(10)));
        BigDecimal billed = billed(key.keyId());
        assertTrue(billed.signum() > 0);

        assertTrue(forget(key.tenantId()) > 0, "the tenant had limit counters in Redis");
        HttpResponse<String> again = chat(key.value());
        assertEquals(402, again.statusCode(), "the cap survives the lost counter: " + again.body());
        assertEquals(String.valueOf(LimitPlanner.toNanos(billed)), redis.sync().get(spendKey(key)),
                "the counter was seeded with what usage_event holds");
    }

    @Test
    void concurrentRequestsSeedALostCounterOnce() throws Exception {
        GatewayTestSupport.TestKey key = GatewayTestSupport.createKey(dataSource, hasher,
                "{}", "{}", "{\"budget_usd_per_month\": 100}", "{}");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, chat(key.value()).statusCode());
        }
        assertTrue(journal.awaitFlushed(Duration.ofSeconds(10)));
        assertTrue(forget(key.tenantId()) > 0);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<HttpResponse<String>>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            results.add(pool.submit((Callable<HttpResponse<String>>) () -> chat(key.value())));
        }
        for (Future<HttpResponse<String>> f : results) {
            assertEquals(200, f.get().statusCode());
        }
        pool.shutdown();
        assertTrue(journal.awaitFlushed(Duration.ofSeconds(10)));
        // settling runs after metering: wait for the counter to take the last requests in
        String expected = String.valueOf(LimitPlanner.toNanos(billed(key.keyId())));
        long deadline = System.currentTimeMillis() + 10_000;
        while (!expected.equals(redis.sync().get(spendKey(key))) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(expected, redis.sync().get(spendKey(key)), "11 requests billed, each counted once");
    }

    private String spendKey(GatewayTestSupport.TestKey key) {
        ZoneId zone = tenantZone(key.tenantId());
        String month = YearMonth.now(zone).toString().replace("-", "");
        return namespace.tagged("lim", key.tenantId().toString(), "key", key.keyId().toString(), "usd:" + month);
    }

    private ZoneId tenantZone(UUID tenantId) {
        try (Connection c = GatewayTestSupport.raw(dataSource).getConnection();
             PreparedStatement ps = c.prepareStatement("select time_zone from tenant where id = ?")) {
            ps.setObject(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return ZoneId.of(rs.getString(1));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes every limit counter of the tenant, as a Redis restart without persistence would. */
    private long forget(UUID tenantId) {
        List<String> keys = redis.sync().keys(namespace.tagged("lim", tenantId.toString()) + ":*");
        assertFalse(keys.isEmpty());
        return redis.sync().del(keys.toArray(String[]::new));
    }

    private BigDecimal billed(UUID keyId) throws Exception {
        try (Connection c = GatewayTestSupport.raw(dataSource).getConnection();
             PreparedStatement ps = c.prepareStatement("select coalesce(sum(billed_usd), 0) from usage_event where api_key_id = ?")) {
            ps.setObject(1, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBigDecimal(1);
            }
        }
    }
}
