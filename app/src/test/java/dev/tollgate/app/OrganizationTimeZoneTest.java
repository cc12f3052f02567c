package dev.tollgate.app;

import dev.tollgate.platform.simulator.SimulatorSettings;
import dev.tollgate.platform.simulator.UpstreamSimulator;
import dev.tollgate.platform.time.SettableClock;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A time zone an owner sets through the tenant API moves the gateway's quota day at once. The
 * gateway here caches key grants for an hour, so only the invalidation the change publishes can
 * explain the new day boundary.
 */
class OrganizationTimeZoneTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void ownersZoneChangeMovesTheQuotaDayOnTheRunningGateway(@TempDir Path home) throws Exception {
        try (UpstreamSimulator upstream = UpstreamSimulator.start(SimulatorSettings.defaults())) {
            ApplicationContext ctx = AppTestSupport.start("orgzone", home, Map.of(
                    "tollgate.providers.openai.base-url", upstream.baseUrl() + "/openai/v1",
                    "tollgate.providers.openai.api-key", "sk-simulated",
                    "tollgate.gateway.key-cache-ttl", "1h",
                    "test.settable-clock", "true",
                    // a slow shared machine must not make the limiter fail open
                    "tollgate.limits.redis-timeout", "5s"));
            try {
                String base = AppTestSupport.baseUrl(ctx);
                JsonMapper json = ctx.getBean(JsonMapper.class);
                SettableClock clock = ctx.getBean(SettableClock.class);
                Map<String, Object> signup = json.readValue(send(base, "POST", "/api/v1/signup", null,
                        "{\"email\":\"zone@example.com\",\"password\":\"long enough password\",\"organization\":\"Zone Co\"}", 201),
                        Argument.mapOf(String.class, Object.class));
                String key = (String) signup.get("api_key");
                String owner = (String) signup.get("access_token");
                send(base, "PATCH", "/api/v1/keys/" + signup.get("api_key_id"), owner, "{\"limits\":{\"tokens_per_day\":60}}", 200);

                // 23:50 on 10 March in Tokyo, 14:50 in UTC, where the tenant still counts its days
                clock.set(Instant.parse("2026-03-10T14:50:00Z"));
                HttpResponse<String> refused = useUp(base, key);
                assertTrue(retryAfter(refused) > 9 * 3600, "nine hours and more to UTC midnight: " + retryAfter(refused));

                send(base, "PATCH", "/api/v1/organization", owner, "{\"time_zone\":\"Asia/Tokyo\"}", 200);
                // the same date in both zones, so the same counter: still refused, but the day now ends at Tokyo's midnight
                long deadline = System.currentTimeMillis() + 5_000;
                HttpResponse<String> again = chat(base, key);
                while (retryAfter(again) > 600 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                    again = chat(base, key);
                }
                assertEquals(429, again.statusCode(), again.body());
                assertTrue(retryAfter(again) <= 600, "ten minutes to Tokyo's midnight: " + retryAfter(again));

                // 00:10 on 11 March in Tokyo, still 10 March in UTC: a new day for this tenant
                clock.set(Instant.parse("2026-03-10T15:10:00Z"));
                HttpResponse<String> nextDay = chat(base, key);
                assertEquals(200, nextDay.statusCode(), nextDay.body());
            } finally {
                AppTestSupport.stop(ctx);
            }
        }
    }

    /** Calls until the daily quota refuses a request. */
    private HttpResponse<String> useUp(String base, String key) throws Exception {
        for (int i = 0; i < 40; i++) {
            HttpResponse<String> r = chat(base, key);
            if (r.statusCode() != 200) {
                assertEquals(429, r.statusCode(), r.body());
                assertTrue(r.body().contains("token_quota_exceeded"), r.body());
                return r;
            }
        }
        throw new AssertionError("the daily quota never refused");
    }

    private static long retryAfter(HttpResponse<String> r) {
        return Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow(() -> new AssertionError("no Retry-After: " + r.body())));
    }

    private HttpResponse<String> chat(String base, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"gpt-4o-mini\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private String send(String base, String method, String path, String bearer, String json, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("content-type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, r.statusCode(), path + ": " + r.body());
        return r.body();
    }
}
