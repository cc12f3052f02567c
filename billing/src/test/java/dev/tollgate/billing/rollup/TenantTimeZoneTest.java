package dev.tollgate.billing.rollup;

import dev.tollgate.billing.budget.BudgetService;
import dev.tollgate.billing.invoice.InvoiceLine;
import dev.tollgate.billing.invoice.InvoiceStore;
import dev.tollgate.billing.testing.Fixtures;
import dev.tollgate.billing.testing.Http;
import dev.tollgate.platform.security.Role;
import dev.tollgate.platform.testing.RealServices;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Tenants whose midnight is not on a UTC hour: Asia/Kolkata (+05:30, its April starts at
 * 2026-03-31T18:30Z) and Australia/Adelaide (+10:30 in summer, +09:30 in winter: its April starts
 * at 2026-03-31T13:30Z, its daylight saving ends on 2026-04-05). Two events in the same UTC hour
 * on either side of the boundary belong to different months and days: budgets, invoices and the
 * usage API split them exactly.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantTimeZoneTest implements RealServices {

    // gpt-4o: $2.50 input, $10 output per MTok
    private static final BigDecimal BEFORE = new BigDecimal("0.0035"); // 1000 in, 100 out
    private static final BigDecimal AFTER = new BigDecimal("0.0045");  // 1000 in, 200 out

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("tollgate.billing.worker-interval", "1h");
    }

    @Inject
    UsageRollupWorker worker;
    @Inject
    BudgetService budgets;
    @Inject
    InvoiceStore invoices;
    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    Fixtures f;
    UUID kolkata;
    UUID adelaide;

    @BeforeAll
    void seed() {
        kolkata = f.tenant("1.0", "Asia/Kolkata");
        adelaide = f.tenant("1.0", "Australia/Adelaide");
        aroundBoundary(kolkata, Instant.parse("2026-03-31T18:30:00Z"));
        aroundBoundary(adelaide, Instant.parse("2026-03-31T13:30:00Z"));
        // after Adelaide's daylight saving ends, its midnight moves to 14:30Z: the 10th starts at 2026-04-09T14:30Z
        event(adelaide, Instant.parse("2026-04-09T14:20:00Z"), 100);
        event(adelaide, Instant.parse("2026-04-09T14:40:00Z"), 200);
        worker.runOnce();
        assertEquals("0", f.text("select count(*) from usage_event where not rolled"));
    }

    private void aroundBoundary(UUID tenant, Instant boundary) {
        event(tenant, boundary.minusSeconds(20 * 60), 100);
        event(tenant, boundary.plusSeconds(15 * 60), 200);
    }

    private void event(UUID tenant, Instant at, long output) {
        UUID project = f.project(tenant);
        f.event(tenant, project, f.key(tenant, project), "openai", "gpt-4o", at, 1000, 0, output, 0);
    }

    private static void assertMoney(BigDecimal expected, BigDecimal actual) {
        assertEquals(0, expected.compareTo(actual), "expected " + expected + ", got " + actual);
    }

    @Test
    void budgetPeriodsSplitTheHourThatHoldsTheMonthBoundary() {
        for (UUID tenant : List.of(kolkata, adelaide)) {
            BudgetService.Period march = budgets.currentPeriod(tenant, Instant.parse("2026-03-20T00:00:00Z"));
            BudgetService.Period april = budgets.currentPeriod(tenant, Instant.parse("2026-04-02T00:00:00Z"));
            assertEquals(YearMonth.of(2026, 4), april.month());
            assertEquals(march.end(), april.start());
            assertMoney(BEFORE, budgets.spent(tenant, "tenant", tenant, march));
            BigDecimal aprilSpend = tenant.equals(adelaide) ? AFTER.add(BEFORE).add(AFTER) : AFTER;
            assertMoney(aprilSpend, budgets.spent(tenant, "tenant", tenant, april));
        }
        assertEquals(Instant.parse("2026-03-31T18:30:00Z"), budgets.currentPeriod(kolkata, Instant.parse("2026-04-02T00:00:00Z")).start());
        assertEquals(Instant.parse("2026-03-31T13:30:00Z"), budgets.currentPeriod(adelaide, Instant.parse("2026-04-02T00:00:00Z")).start());
    }

    @Test
    void invoiceLinesOfAMonthHoldOnlyThatMonthsEvents() {
        List<InvoiceLine> lines = invoices.upcoming(kolkata, ZoneId.of("Asia/Kolkata"), Instant.parse("2026-04-02T00:00:00Z")).lines();
        assertEquals(1, lines.size());
        assertEquals(1, lines.get(0).requests());
        assertEquals(200, lines.get(0).outputTokens());
    }

    @Test
    @SuppressWarnings({"rawtypes", "unchecked"})
    void usageByDayFollowsTheTenantsMidnight() {
        assertEquals(Map.of("2026-03-31", BEFORE, "2026-04-01", AFTER),
                days(kolkata, "2026-03-30T00:00:00Z", "2026-04-03T00:00:00Z"));
        assertEquals(Map.of("2026-03-31", BEFORE, "2026-04-01", AFTER, "2026-04-09", BEFORE, "2026-04-10", AFTER),
                days(adelaide, "2026-03-30T00:00:00Z", "2026-04-12T00:00:00Z"));
        // a range starting inside an hour counts only what follows its start
        assertEquals(Map.of("2026-04-01", AFTER), days(kolkata, "2026-03-31T18:30:00Z", "2026-04-03T00:00:00Z"));
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private Map<String, BigDecimal> days(UUID tenant, String from, String to) {
        HttpResponse<Map> r = Http.exchange(http.toBlocking(), HttpRequest.GET("/api/v1/usage?from=" + from + "&to=" + to
                + "&group_by=day").bearerAuth(f.token(tenant, Role.VIEWER)));
        assertEquals(HttpStatus.OK, r.getStatus());
        Map<String, BigDecimal> days = new LinkedHashMap<>();
        for (Map row : (List<Map>) r.body().get("rows")) {
            days.put((String) row.get("group"), new BigDecimal((String) row.get("cost_usd")).stripTrailingZeros());
        }
        return days;
    }

    @Test
    void cutHoursAreTheUtcHoursThatHoldALocalMidnight() {
        UUID t = UUID.randomUUID();
        UsageRange april = UsageRange.byLocalDay(t, Instant.parse("2026-03-31T18:30:00Z"), Instant.parse("2026-04-03T18:30:00Z"),
                ZoneId.of("Asia/Kolkata"));
        assertEquals(List.of(Instant.parse("2026-03-31T18:00:00Z"), Instant.parse("2026-04-01T18:00:00Z"),
                Instant.parse("2026-04-02T18:00:00Z"), Instant.parse("2026-04-03T18:00:00Z")), april.cutHours());
        UsageRange dstEnd = UsageRange.byLocalDay(t, Instant.parse("2026-04-03T13:30:00Z"), Instant.parse("2026-04-06T14:30:00Z"),
                ZoneId.of("Australia/Adelaide"));
        assertEquals(List.of(Instant.parse("2026-04-03T13:00:00Z"), Instant.parse("2026-04-04T13:00:00Z"),
                Instant.parse("2026-04-05T14:00:00Z"), Instant.parse("2026-04-06T14:00:00Z")), dstEnd.cutHours());
        assertEquals(List.of(), UsageRange.byLocalDay(t, Instant.parse("2026-04-01T00:00:00Z"), Instant.parse("2026-04-03T00:00:00Z"),
                ZoneId.of("UTC")).cutHours(), "whole-hour zones read only rollups");
    }
}
