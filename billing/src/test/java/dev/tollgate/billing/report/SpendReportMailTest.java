package dev.tollgate.billing.report;

import dev.tollgate.billing.rollup.UsageRollupWorker;
import dev.tollgate.billing.testing.Fixtures;
import dev.tollgate.billing.testing.Http;
import dev.tollgate.platform.security.Role;
import dev.tollgate.platform.security.TenantUser;
import dev.tollgate.platform.testing.RealServices;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.generator.TokenGenerator;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spend-spike alert and weekly report through the outbox: thresholds, recipients, dedup, per-user opt-out. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SuppressWarnings({"rawtypes", "unchecked"})
class SpendReportMailTest implements RealServices {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("tollgate.billing.worker-interval", "1h",
                "tollgate.billing.reports.weekly-interval", "1h",
                "tollgate.billing.reports.spike-min-usd", "0.01");
    }

    @Inject
    @Client("/")
    HttpClient http;
    @Inject
    UsageRollupWorker worker;
    @Inject
    WeeklyReport weekly;
    @Inject
    Recipients recipients;
    @Inject
    TokenGenerator tokenGenerator;

    @Inject
    Fixtures f;
    UUID tenant;
    UUID project;
    UUID key;
    UUID quiet;
    final Instant now = Instant.now();

    @BeforeAll
    void seed() {
        tenant = f.tenant("1.0", "Europe/Berlin");
        project = f.project(tenant);
        key = f.key(tenant, project);
        quiet = f.tenant("1.0", "UTC");
        f.exec("update api_key set name = 'production' where id = ?", key);
        f.exec("""
                insert into budget (id, tenant_id, scope, scope_id, monthly_usd, thresholds, alert_emails)
                values (?, ?, 'tenant', ?, 1000, '{0.5}', '{ops@example.com,CFO@example.com}')""", UUID.randomUUID(), tenant, tenant);
        // the tenant API's tables, as that module creates them (billing only reads them when present)
        f.exec("create table if not exists app_user (id uuid primary key, email text not null)");
        f.exec("create table if not exists membership (tenant_id uuid not null, user_id uuid not null, role text not null)");
        member("owner@example.com", "owner");
        member("dev@example.com", "member");
    }

    private void member(String email, String role) {
        UUID user = UUID.randomUUID();
        f.exec("insert into app_user (id, email) values (?, ?)", user, email);
        f.exec("insert into membership (tenant_id, user_id, role) values (?, ?, ?)", tenant, user, role);
    }

    /** gpt-4o, 1000 + 100 tokens: $0.0035. */
    private void spend(Instant at, int n) {
        for (int i = 0; i < n; i++) {
            f.event(tenant, project, key, "openai", "gpt-4o", at.minusSeconds(i), 1000, 0, 100, 0);
        }
    }

    private String token(String email) {
        TenantUser user = new TenantUser(UUID.randomUUID(), tenant, Role.MEMBER, email);
        return tokenGenerator.generateToken(Authentication.build(user.userId().toString(), List.of("member"), user.claims()), 3600)
                .orElseThrow();
    }

    @Test
    @Order(1)
    void aDayFarAboveTheTrailingAverageAlertsOnce() {
        for (int d = 1; d <= 7; d++) {
            spend(now.minus(Duration.ofDays(d)), 1);
        }
        spend(now, 2);
        worker.runOnce();
        // $0.007 today vs an average of $0.0035: twice, not three times
        assertEquals("0", f.text("select count(*) from mail_outbox where kind = 'spend_spike'"));
        spend(now, 8);
        worker.runOnce();
        assertEquals("1", f.text("select count(*) from mail_outbox where kind = 'spend_spike'"));
        assertEquals("{cfo@example.com,ops@example.com,owner@example.com}",
                f.text("select recipients from mail_outbox where kind = 'spend_spike'"));
        assertEquals("Spend spike: $0.0350 today, 10.0× your daily average", f.text("select subject from mail_outbox where kind = 'spend_spike'"));
        assertEquals("spend-spike:" + tenant + ":" + LocalDate.ofInstant(now, BERLIN),
                f.text("select dedup_key from mail_outbox where kind = 'spend_spike'"));
        spend(now, 20);
        worker.runOnce();
        assertEquals("1", f.text("select count(*) from mail_outbox where kind = 'spend_spike'"), "once per day");
    }

    @Test
    @Order(2)
    void eachUserSwitchesTheirOwnMailsOff() {
        HttpResponse<Map> initial = Http.exchange(http.toBlocking(), HttpRequest.GET("/api/v1/notifications").bearerAuth(token("cfo@example.com")));
        assertEquals(Map.of("email", "cfo@example.com", "spend_spike", true, "weekly_report", true), initial.body());
        HttpResponse<Map> off = Http.exchange(http.toBlocking(), HttpRequest.PUT("/api/v1/notifications", Map.of("spend_spike", false))
                .bearerAuth(token("cfo@example.com")));
        assertEquals(HttpStatus.OK, off.getStatus());
        assertEquals(false, off.body().get("spend_spike"));
        assertEquals(true, off.body().get("weekly_report"));
        Http.exchange(http.toBlocking(), HttpRequest.PUT("/api/v1/notifications", Map.of("weekly_report", false))
                .bearerAuth(token("owner@example.com")));
        assertEquals(List.of("ops@example.com", "owner@example.com"), recipients.of(tenant, Recipients.Kind.SPEND_SPIKE));
        assertEquals(List.of("cfo@example.com", "ops@example.com"), recipients.of(tenant, Recipients.Kind.WEEKLY_REPORT));
        assertEquals(HttpStatus.BAD_REQUEST, Http.exchange(http.toBlocking(),
                HttpRequest.PUT("/api/v1/notifications", Map.of("weekly_report", false)).bearerAuth(token(""))).getStatus());
        assertEquals(HttpStatus.UNAUTHORIZED, Http.exchange(http.toBlocking(), HttpRequest.GET("/api/v1/notifications")).getStatus());
    }

    @Test
    @Order(3)
    void theWeeklyReportGoesOutOnMondayOncePerWeek() {
        // an error and a cache hit inside the week
        f.exec("""
                insert into usage_event (request_id, occurred_at, tenant_id, project_id, api_key_id, endpoint, model_served, provider,
                                         status, cache_status, input_tokens, output_tokens)
                values (?, ?, ?, ?, ?, 'chat', 'gpt-4o-mini', 'openai', 500, 'none', 0, 0),
                       (?, ?, ?, ?, ?, 'chat', 'gpt-4o-mini', 'openai', 200, 'hit', 1000000, 0)""",
                "req_" + UUID.randomUUID(), Timestamp.from(now), tenant, project, key,
                "req_" + UUID.randomUUID(), Timestamp.from(now), tenant, project, key);
        worker.runOnce();
        LocalDate monday = LocalDate.ofInstant(now, BERLIN).with(TemporalAdjusters.next(DayOfWeek.MONDAY));
        Instant mondayMorning = monday.atTime(9, 0).atZone(BERLIN).toInstant();
        assertEquals(0, weekly.runOnce(monday.atTime(7, 0).atZone(BERLIN).toInstant()), "not before the report hour");
        assertEquals(0, weekly.runOnce(monday.plusDays(1).atTime(9, 0).atZone(BERLIN).toInstant()), "Mondays only");
        assertEquals(1, weekly.runOnce(mondayMorning), "the quiet tenant gets none");
        assertEquals(0, weekly.runOnce(mondayMorning.plus(Duration.ofHours(2))), "once per week");

        Instant weekStart = monday.minusDays(7).atStartOfDay(BERLIN).toInstant();
        long requests = Long.parseLong(f.text("select count(*) from usage_event where tenant_id = ? and occurred_at >= ?",
                tenant, Timestamp.from(weekStart)));
        String text = f.text("select body_text from mail_outbox where kind = 'weekly_report'");
        assertTrue(text.contains("Requests: " + requests + "\n"), text);
        String pct = java.math.BigDecimal.valueOf((requests - 1) * 100).divide(java.math.BigDecimal.valueOf(requests), 1,
                java.math.RoundingMode.HALF_UP) + "%";
        assertTrue(text.contains("Success rate: " + pct), text);
        assertTrue(text.contains("Saved by the cache: $0.15"), text); // 1M input tokens of gpt-4o-mini at $0.15
        assertTrue(text.contains("  gpt-4o: "), text);
        assertTrue(text.contains("production ("), text);
        assertTrue(text.indexOf("gpt-4o:") < text.indexOf("gpt-4o-mini:"), "models by spend");
        assertEquals("{cfo@example.com,ops@example.com}", f.text("select recipients from mail_outbox where kind = 'weekly_report'"));
        assertEquals("weekly-report:" + tenant + ":" + monday.minusDays(7), f.text("select dedup_key from mail_outbox where kind = 'weekly_report'"));
        assertTrue(f.text("select body_html from mail_outbox where kind = 'weekly_report'").contains("<td>Cache hit rate</td>"));
    }
}
