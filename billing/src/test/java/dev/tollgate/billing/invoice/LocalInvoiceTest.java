package dev.tollgate.billing.invoice;

import dev.tollgate.billing.rollup.UsageRollupWorker;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Local invoices (Stripe off): monthly drafts in the tenant's zone, finalization, the API, tenant isolation. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SuppressWarnings({"rawtypes", "unchecked"})
class LocalInvoiceTest implements RealServices {

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("tollgate.billing.worker-interval", "1h", "tollgate.billing.invoice-interval", "1h");
    }

    @Inject
    @Client("/")
    HttpClient http;
    @Inject
    UsageRollupWorker worker;
    @Inject
    LocalInvoiceDrafter drafter;

    @Inject
    Fixtures f;
    UUID tenantA;
    UUID tenantB;

    @BeforeAll
    void seed() {
        tenantA = f.tenant("1.5", "America/New_York");
        UUID project = f.project(tenantA);
        UUID key = f.key(tenantA, project);
        tenantB = f.tenant("1.0", "UTC");
        // gpt-4o: 1000 × $2.50 + 100 × $10 per MTok = $0.0035, billed × 1.5 = $0.00525
        for (int i = 0; i < 10; i++) {
            f.event(tenantA, project, key, "openai", "gpt-4o", Instant.parse("2026-02-15T12:00:00Z").plusSeconds(i), 1000, 0, 100, 0);
        }
        // 22:00 on 28 February in New York: February's invoice, not March's
        f.event(tenantA, project, key, "openai", "gpt-4o", Instant.parse("2026-03-01T03:00:00Z"), 1000, 0, 100, 0);
        // claude-3-5-haiku: 2000 × $0.80 + 1000 × $4 per MTok = $0.0056, billed $0.0084
        f.event(tenantA, project, key, "anthropic", "claude-3-5-haiku-20241022", Instant.parse("2026-02-20T12:00:00Z"), 2000, 0, 1000, 0);
        f.event(tenantA, project, key, "openai", "gpt-4o", Instant.parse("2026-03-01T06:00:00Z"), 1000, 0, 100, 0);
        // the running month (today, whatever the clock says)
        for (int i = 0; i < 4; i++) {
            f.event(tenantA, project, key, "openai", "gpt-4o", Instant.now().minusSeconds(60 + i), 1000, 0, 100, 0);
        }
        worker.runOnce();
    }

    private HttpResponse<Map> get(String path, UUID tenant) {
        return Http.exchange(http.toBlocking(), HttpRequest.GET(path).bearerAuth(f.token(tenant, Role.VIEWER)));
    }

    @Test
    @Order(1)
    void aDraftFollowsTheMonthInTheTenantsZoneAndIsFinalizedAfterItsEnd() {
        // 23:00 on 28 February in New York
        drafter.runOnce(Instant.parse("2026-03-01T04:00:00Z"));
        assertEquals("draft", f.text("select status from invoice where tenant_id = ? and period_start = '2026-02-01T05:00:00Z'", tenantA));
        // 11 × $0.00525 = $0.05775 → $0.06; $0.0084 → $0.01
        assertEquals("0.07", f.text("select total_usd from invoice where tenant_id = ? and period_start = '2026-02-01T05:00:00Z'", tenantA));
        assertEquals("2", f.text("select count(*) from invoice_line l join invoice i on i.id = l.invoice_id "
                + "where i.tenant_id = ? and i.period_start = '2026-02-01T05:00:00Z'", tenantA));

        // the period ended at 05:00Z; late events may still roll in during the close delay
        drafter.runOnce(Instant.parse("2026-03-01T05:30:00Z"));
        assertEquals("draft", f.text("select status from invoice where tenant_id = ? and period_start = '2026-02-01T05:00:00Z'", tenantA));
        assertEquals("draft", f.text("select status from invoice where tenant_id = ? and period_start = '2026-03-01T05:00:00Z'", tenantA));

        LocalInvoiceDrafter.Result r = drafter.runOnce(Instant.parse("2026-03-01T06:30:00Z"));
        assertEquals(1, r.finalized(), r.toString());
        assertEquals("open", f.text("select status from invoice where tenant_id = ? and period_start = '2026-02-01T05:00:00Z'", tenantA));
        assertEquals("TG-202602-" + tenantA.toString().substring(0, 8).toUpperCase(),
                f.text("select number from invoice where tenant_id = ? and period_start = '2026-02-01T05:00:00Z'", tenantA));
        // a period without usage leaves no invoice
        assertEquals("0", f.text("select count(*) from invoice where tenant_id = ? and period_start < '2026-03-01T00:00:00Z'", tenantB));
        // March (New York) holds the 06:00Z event: $0.00525 → $0.01
        assertEquals("0.01", f.text("select total_usd from invoice where tenant_id = ? and period_start = '2026-03-01T05:00:00Z'", tenantA));
        // running again changes nothing that is final
        drafter.runOnce(Instant.parse("2026-03-01T07:00:00Z"));
        assertEquals("1", f.text("select count(*) from invoice where tenant_id = ? and status = 'open'", tenantA));
    }

    @Test
    @Order(2)
    void theApiListsInvoicesWithTheRunningTotalOfTheCurrentPeriod() {
        drafter.runOnce(Instant.now());
        HttpResponse<Map> list = get("/api/v1/invoices", tenantA);
        assertEquals(HttpStatus.OK, list.getStatus());
        List<Map> data = (List<Map>) list.body().get("data");
        // February and (now that its period is over too) March are open
        assertEquals(2, data.stream().filter(i -> "open".equals(i.get("status"))).count());
        Map feb = data.stream().filter(i -> "2026-02-01T05:00:00Z".equals(i.get("period_start"))).findFirst().orElseThrow();
        assertEquals("open", feb.get("status"));
        assertEquals("local", feb.get("source"));
        assertEquals("usd", feb.get("currency"));
        assertEquals(0, new BigDecimal("0.07").compareTo(new BigDecimal(feb.get("total_usd").toString())));
        assertEquals(0, new BigDecimal("0.07").compareTo(new BigDecimal(feb.get("amount_due_usd").toString())));
        assertEquals("2026-02-01T05:00:00Z", feb.get("period_start"));
        assertEquals("2026-03-01T05:00:00Z", feb.get("period_end"));
        assertTrue(feb.containsKey("hosted_url") && feb.containsKey("pdf_url"), "present, and null locally");
        assertNull(feb.get("hosted_url"));
        assertNull(feb.get("pdf_url"));

        Map upcoming = (Map) list.body().get("upcoming");
        // 4 × $0.00525 = $0.021 → $0.02
        assertEquals(0, new BigDecimal("0.02").compareTo(new BigDecimal(upcoming.get("total_usd").toString())));
        Instant start = Instant.parse((String) upcoming.get("period_start"));
        assertTrue(start.isBefore(Instant.now()) && Duration.between(start, Instant.now()).toDays() <= 31);
        Map current = data.stream().filter(i -> "draft".equals(i.get("status"))
                && upcoming.get("period_start").equals(i.get("period_start"))).findFirst().orElseThrow();
        assertEquals(0, new BigDecimal("0.02").compareTo(new BigDecimal(current.get("total_usd").toString())));

        HttpResponse<Map> one = get("/api/v1/invoices/" + feb.get("id"), tenantA);
        assertEquals(HttpStatus.OK, one.getStatus());
        List<Map> lines = (List<Map>) one.body().get("lines");
        assertEquals(List.of("claude-3-5-haiku-20241022", "gpt-4o"), lines.stream().map(l -> l.get("model")).toList());
        assertEquals(11, ((Number) lines.get(1).get("requests")).intValue());
        assertEquals(0, new BigDecimal("0.06").compareTo(new BigDecimal(lines.get(1).get("amount_usd").toString())));
    }

    @Test
    @Order(3)
    void anotherTenantsInvoiceIsNotFound() {
        String id = f.text("select id from invoice where tenant_id = ? and period_start = '2026-02-01T05:00:00Z'", tenantA);
        HttpResponse<Map> other = get("/api/v1/invoices/" + id, tenantB);
        assertEquals(HttpStatus.NOT_FOUND, other.getStatus());
        assertEquals("not_found", Http.error(other).get("code"));
        assertEquals(HttpStatus.NOT_FOUND, get("/api/v1/invoices/not-a-uuid", tenantA).getStatus());
        List<Map> bList = (List<Map>) get("/api/v1/invoices", tenantB).body().get("data");
        assertTrue(bList.stream().noneMatch(i -> id.equals(i.get("id"))));
        assertEquals(HttpStatus.BAD_REQUEST, get("/api/v1/invoices?limit=0", tenantA).getStatus());
        assertEquals(HttpStatus.UNAUTHORIZED, Http.exchange(http.toBlocking(), HttpRequest.GET("/api/v1/invoices")).getStatus());
    }

    @Test
    @Order(4)
    void operatorsMarkOpenInvoicesPaidOrVoid() {
        String open = f.text("select id from invoice where tenant_id = ? and period_start = '2026-02-01T05:00:00Z'", tenantA);
        String draft = f.text("select id from invoice where tenant_id = ? and status = 'draft' order by period_start limit 1", tenantA);
        assertEquals(HttpStatus.CONFLICT, Http.exchange(http.toBlocking(),
                Http.admin(HttpRequest.POST("/admin/v1/invoices/" + draft + "/pay", ""))).getStatus());
        assertEquals(HttpStatus.OK, Http.exchange(http.toBlocking(),
                Http.admin(HttpRequest.POST("/admin/v1/invoices/" + open + "/pay", ""))).getStatus());
        assertEquals("paid", f.text("select status from invoice where id = ?::uuid", open));
        assertEquals("0.07", f.text("select amount_paid_usd from invoice where id = ?::uuid", open));
        assertEquals(HttpStatus.CONFLICT, Http.exchange(http.toBlocking(),
                Http.admin(HttpRequest.POST("/admin/v1/invoices/" + open + "/void", ""))).getStatus());
        assertEquals(HttpStatus.NOT_FOUND, Http.exchange(http.toBlocking(),
                Http.admin(HttpRequest.POST("/admin/v1/invoices/" + UUID.randomUUID() + "/void", ""))).getStatus());
        assertEquals(HttpStatus.UNAUTHORIZED, Http.exchange(http.toBlocking(),
                HttpRequest.POST("/admin/v1/invoices/" + open + "/void", "")).getStatus());
    }
}
