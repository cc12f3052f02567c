package dev.tollgate.billing.stripe;

import dev.tollgate.billing.invoice.LocalInvoiceDrafter;
import dev.tollgate.billing.rollup.UsageRollupWorker;
import dev.tollgate.billing.testing.Fixtures;
import dev.tollgate.billing.testing.Http;
import dev.tollgate.platform.security.Role;
import dev.tollgate.platform.testing.RealServices;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.tollgate.billing.stripe.StripeTestServer.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stripe with stripe-java against {@link StripeTestServer}: customers and subscriptions for new
 * tenants, hourly meter events through outages, lost responses and a crashed worker without loss
 * or doubles, late usage, signed webhooks (rejection, dedup, out-of-order) and invoices.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SuppressWarnings({"rawtypes", "unchecked"})
class StripeBillingTest implements RealServices {

    static final StripeTestServer STRIPE = new StripeTestServer();
    static final String WEBHOOK_SECRET = "whsec_test_" + UUID.randomUUID();

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("tollgate.billing.worker-interval", "1h",
                "tollgate.stripe.api-key", StripeTestServer.API_KEY,
                "tollgate.stripe.api-base", STRIPE.baseUrl(),
                "tollgate.stripe.meter-events-base", STRIPE.baseUrl(),
                "tollgate.stripe.webhook-secret", WEBHOOK_SECRET,
                "tollgate.stripe.sync-interval", "1h",
                "tollgate.stripe.report-interval", "1h");
    }

    @Inject
    @Client("/")
    HttpClient http;
    @Inject
    EmbeddedServer server;
    @Inject
    ApplicationContext context;
    @Inject
    UsageRollupWorker worker;
    @Inject
    StripeAccountSync sync;
    @Inject
    StripeUsageReporter reporter;

    @Inject
    Fixtures f;
    UUID tenantA;
    UUID tenantB;
    UUID keyA;
    UUID projectA;
    UUID keyB;
    UUID projectB;
    final Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));

    @BeforeAll
    void seed() {
        tenantA = f.tenant("1.0", "UTC");
        projectA = f.project(tenantA);
        keyA = f.key(tenantA, projectA);
        tenantB = f.tenant("2.0", "Europe/Berlin");
        projectB = f.project(tenantB);
        keyB = f.key(tenantB, projectB);
    }

    @AfterAll
    void stop() {
        STRIPE.close();
    }

    /** gpt-4o, 1000 input + 100 output tokens: $0.0035 cost. */
    private void usage(UUID tenant, Instant at, int n) {
        UUID project = tenant.equals(tenantA) ? projectA : projectB;
        UUID key = tenant.equals(tenantA) ? keyA : keyB;
        for (int i = 0; i < n; i++) {
            f.event(tenant, project, key, "openai", "gpt-4o", at.plusSeconds(i), 1000, 0, 100, 0);
        }
        worker.runOnce();
    }

    private String customer(UUID tenant) {
        return f.text("select stripe_customer_id from tenant where id = ?", tenant);
    }

    /** Billed micro-dollars in the rollups of {@code tenant}'s closed hours, what Stripe must have in total. */
    private long billedMicros(UUID tenant) {
        return new BigDecimal(f.text("""
                select coalesce(sum(billed_usd), 0) from usage_rollup
                 where granularity = 'h' and tenant_id = ? and bucket_start + interval '65 minutes' <= now()""",
                tenant)).movePointRight(6).longValueExact();
    }

    private void timePasses() {
        f.exec("update stripe_meter_report set next_attempt_at = now() where status = 'pending'");
        f.exec("update stripe_account set next_attempt_at = now() where subscription_id is null");
    }

    @Test
    @Order(1)
    void newTenantsGetOneCustomerMeterPriceAndSubscriptionThroughOutagesAndLostAnswers() {
        assertFalse(context.containsBean(LocalInvoiceDrafter.class), "local invoices are off with Stripe");
        STRIPE.outage(true);
        assertEquals(2, sync.runOnce());
        assertNull(customer(tenantA));
        assertEquals("1", f.text("select attempts from stripe_account where tenant_id = ?", tenantA));
        assertTrue(f.text("select last_error from stripe_account where tenant_id = ?", tenantA).contains("simulated outage"));
        assertEquals("t", f.text("select next_attempt_at > now() from stripe_account where tenant_id = ?", tenantA));
        assertEquals(0, sync.runOnce(), "not due before the backoff");

        STRIPE.outage(false);
        STRIPE.dropResponses(1);
        timePasses();
        sync.runOnce();
        for (int i = 0; i < 5 && f.text("select count(*) from stripe_account where subscription_id is null").equals("0") == false; i++) {
            timePasses();
            sync.runOnce();
        }
        assertEquals("0", f.text("select count(*) from stripe_account where subscription_id is null"));
        assertNotNull(customer(tenantA));
        assertNotNull(customer(tenantB));
        assertFalse(customer(tenantA).equals(customer(tenantB)));
        assertEquals(2, STRIPE.created("/v1/customers"), "one customer per tenant, the lost answer replayed");
        assertEquals(1, STRIPE.created("/v1/billing/meters"));
        assertEquals(1, STRIPE.created("/v1/prices"));
        assertEquals(2, STRIPE.created("/v1/subscriptions"));
        assertTrue(STRIPE.posts("/v1/customers").size() >= 3, "the customer whose answer was lost was asked for again");
        assertEquals(List.of(), STRIPE.problems());
        assertEquals(0, sync.runOnce());
    }

    @Test
    @Order(2)
    void usageIsReportedPerTenantAndHourOnceWithDeterministicIdentifiers() {
        usage(tenantA, hour.plusSeconds(60), 3);
        usage(tenantA, hour.plus(Duration.ofHours(1)).plusSeconds(60), 1);
        usage(tenantA, Instant.now(), 1); // the running hour is not reported yet
        assertEquals(2, reporter.runOnce(Instant.now()));
        String identifier = "tg-" + tenantA + "-" + hour.getEpochSecond() + "-1";
        Map<String, String> sent = STRIPE.meterEvents.get(identifier);
        assertNotNull(sent, STRIPE.meterEvents.keySet().toString());
        assertEquals("tollgate_billed_usd", sent.get("event_name"));
        assertEquals(customer(tenantA), sent.get("payload[stripe_customer_id]"));
        assertEquals("10500", sent.get("payload[value]")); // 3 × $0.0035
        assertEquals(Long.toString(hour.getEpochSecond()), sent.get("timestamp"));
        assertEquals(1, STRIPE.posts("/v1/billing/meter_events").stream()
                .filter(r -> identifier.equals(r.params().get("identifier")) && identifier.equals(r.idempotencyKey())).count());
        assertEquals(0, reporter.runOnce(Instant.now()));

        // a late event in a reported hour: the difference only, under the next identifier
        usage(tenantA, hour.plusSeconds(120), 1);
        assertEquals(1, reporter.runOnce(Instant.now()));
        assertEquals("3500", STRIPE.meterEvents.get("tg-" + tenantA + "-" + hour.getEpochSecond() + "-2").get("payload[value]"));
        assertEquals(17_500, STRIPE.meteredTotal(customer(tenantA)));
        assertEquals(List.of(), STRIPE.problems());
    }

    @Test
    @Order(3)
    void aStripeOutageLosesNothingAndDoublesNothing() {
        usage(tenantA, hour.minus(Duration.ofHours(1)), 2);
        usage(tenantB, hour.minus(Duration.ofHours(1)), 3);
        usage(tenantB, hour, 1);
        STRIPE.outage(true);
        assertEquals(0, reporter.runOnce(Instant.now()));
        assertEquals("3", f.text("select count(*) from stripe_meter_report where status = 'pending'"));
        assertEquals("0", f.text("select count(*) from stripe_meter_report where status = 'pending' and (last_error is null or next_attempt_at <= now())"));
        STRIPE.outage(false);
        assertEquals(0, reporter.runOnce(Instant.now()), "retried after the backoff, not before");
        timePasses();
        assertEquals(3, reporter.runOnce(Instant.now()));
        assertEquals("0", f.text("select count(*) from stripe_meter_report where status = 'pending'"));
        assertEquals(billedMicros(tenantA), STRIPE.meteredTotal(customer(tenantA)));
        // markup 2.0: 4 × $0.007
        assertEquals(28_000, billedMicros(tenantB));
        assertEquals(billedMicros(tenantB), STRIPE.meteredTotal(customer(tenantB)));
        assertEquals(List.of(), STRIPE.problems());
    }

    @Test
    @Order(4)
    void aWorkerThatCrashesAfterStripeAcceptedIsNotCountedTwice() {
        usage(tenantA, hour.minus(Duration.ofHours(2)), 2);
        usage(tenantB, hour.minus(Duration.ofHours(2)), 2);
        assertEquals(2, reporter.enqueue(Instant.now()));
        List<StripeUsageReporter.Report> claimed = reporter.claim(10);
        assertEquals(2, claimed.size());
        claimed.forEach(r -> {
            try {
                reporter.post(r);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // the worker dies here: Stripe has both events, the outbox still says pending (leased)
        int accepted = STRIPE.meterEvents.size();
        assertEquals(0, reporter.sendDue(), "leased rows are left to their owner");
        f.exec("update stripe_meter_report set leased_until = now() - interval '1 second' where status = 'pending'");
        assertEquals(2, reporter.runOnce(Instant.now()), "the restarted worker resends");
        assertEquals(accepted, STRIPE.meterEvents.size());
        assertEquals(billedMicros(tenantA), STRIPE.meteredTotal(customer(tenantA)));
        assertEquals(billedMicros(tenantB), STRIPE.meteredTotal(customer(tenantB)));

        // an answer lost on the way back
        usage(tenantA, hour.minus(Duration.ofHours(4)), 1);
        STRIPE.dropResponses(1);
        assertEquals(0, reporter.runOnce(Instant.now()));
        timePasses();
        assertEquals(1, reporter.runOnce(Instant.now()));
        assertEquals(billedMicros(tenantA), STRIPE.meteredTotal(customer(tenantA)));
        assertEquals(List.of(), STRIPE.problems());
    }

    @Test
    @Order(5)
    void usageOfAClosedPeriodGoesToTheCurrentOneAndWithinTheGraceToItsOwn() {
        Instant now = Instant.now();
        Instant old = now.minus(Duration.ofDays(34)).truncatedTo(ChronoUnit.HOURS);
        usage(tenantA, old, 1);
        assertEquals(1, reporter.runOnce(now));
        String identifier = "tg-" + tenantA + "-" + old.getEpochSecond() + "-1";
        assertEquals("t", f.text("select deferred from stripe_meter_report where identifier = ?", identifier));
        long ts = Long.parseLong(STRIPE.meterEvents.get(identifier).get("timestamp"));
        assertTrue(Math.abs(ts - now.getEpochSecond()) <= 1, "reported in the current period");

        // queued 30 minutes after the month ended: still within Stripe's grace, so its own hour
        Instant monthStart = now.atZone(java.time.ZoneOffset.UTC).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).toInstant();
        Instant lastHour = monthStart.minus(Duration.ofHours(1));
        usage(tenantB, lastHour, 1);
        assertEquals(1, reporter.enqueue(monthStart.plus(Duration.ofMinutes(30))));
        String late = "tg-" + tenantB + "-" + lastHour.getEpochSecond() + "-1";
        assertEquals("f", f.text("select deferred from stripe_meter_report where identifier = ?", late));
        assertEquals(lastHour.toString(), Instant.parse(f.text(
                "select to_char(event_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') from stripe_meter_report where identifier = ?",
                late)).toString());
        assertEquals(1, reporter.runOnce(now));
        assertEquals(billedMicros(tenantB), STRIPE.meteredTotal(customer(tenantB)));
        assertEquals(List.of(), STRIPE.problems());
    }

    private HttpResponse<String> webhook(String eventId, String type, long created, Map<String, Object> invoice) {
        return STRIPE.webhook(url(), WEBHOOK_SECRET, Instant.now().getEpochSecond(), eventId, type, created, invoice);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getPort() + "/webhooks/stripe";
    }

    private Map<String, Object> invoice(String id, String customer, String status, long total, long paid) {
        return obj("id", id, "object", "invoice", "customer", customer, "status", status, "currency", "usd",
                "number", status.equals("draft") ? null : "TG-0001", "total", total, "amount_due", total, "amount_paid", paid,
                "period_start", 1_775_001_600L, "period_end", 1_777_593_600L,
                "hosted_invoice_url", status.equals("draft") ? null : "https://invoice.stripe.test/" + id,
                "invoice_pdf", status.equals("draft") ? null : "https://invoice.stripe.test/" + id + "/pdf");
    }

    @Test
    @Order(6)
    void webhooksWithoutAValidSignatureAreRefused() {
        String payload = "{\"id\":\"evt_forged\",\"object\":\"event\",\"type\":\"invoice.paid\",\"data\":{\"object\":{}}}";
        HttpResponse<String> forged = StripeTestServer.deliver(url(), payload,
                "t=" + Instant.now().getEpochSecond() + ",v1=" + StripeTestServer.hmac("whsec_wrong", "x"));
        assertEquals(400, forged.statusCode());
        assertTrue(forged.body().contains("signature verification failed"), forged.body());
        assertEquals(400, StripeTestServer.deliver(url(), payload, "").statusCode());
        HttpResponse<String> stale = STRIPE.webhook(url(), WEBHOOK_SECRET, Instant.now().getEpochSecond() - 3600, "evt_stale",
                "invoice.created", Instant.now().getEpochSecond(), invoice("in_stale", customer(tenantA), "draft", 100, 0));
        assertEquals(400, stale.statusCode());
        assertEquals("0", f.text("select count(*) from stripe_webhook_event"));
        assertEquals("0", f.text("select count(*) from invoice"));
    }

    @Test
    @Order(7)
    void invoiceEventsAreAppliedOnceAndInAnyOrder() {
        long t0 = Instant.now().getEpochSecond() - 100;
        String cus = customer(tenantA);
        HttpResponse<String> created = webhook("evt_1", "invoice.created", t0, invoice("in_1", cus, "draft", 1234, 0));
        assertEquals(200, created.statusCode(), created.body());
        assertEquals("draft", f.text("select status from invoice where stripe_invoice_id = 'in_1'"));
        assertEquals("12.34", f.text("select total_usd from invoice where stripe_invoice_id = 'in_1'"));
        HttpResponse<String> again = webhook("evt_1", "invoice.created", t0, invoice("in_1", cus, "draft", 9999, 0));
        assertEquals(200, again.statusCode());
        assertTrue(again.body().contains("\"duplicate\":true"), again.body());
        assertEquals("12.34", f.text("select total_usd from invoice where stripe_invoice_id = 'in_1'"));

        // paid arrives before finalized, and a stale payment failure after both
        assertEquals(200, webhook("evt_3", "invoice.paid", t0 + 20, invoice("in_1", cus, "paid", 1500, 1500)).statusCode());
        assertEquals(200, webhook("evt_2", "invoice.finalized", t0 + 10, invoice("in_1", cus, "open", 1500, 0)).statusCode());
        assertEquals(200, webhook("evt_4", "invoice.payment_failed", t0 + 15, invoice("in_1", cus, "open", 1500, 0)).statusCode());
        assertEquals("paid", f.text("select status from invoice where stripe_invoice_id = 'in_1'"));
        assertEquals("15.00", f.text("select amount_paid_usd from invoice where stripe_invoice_id = 'in_1'"));
        assertEquals("f", f.text("select payment_failed from invoice where stripe_invoice_id = 'in_1'"));
        assertEquals("1", f.text("select count(*) from invoice where stripe_invoice_id = 'in_1'"));

        // a failed payment shows until the invoice is paid
        webhook("evt_5", "invoice.finalized", t0 + 30, invoice("in_2", cus, "open", 700, 0));
        webhook("evt_6", "invoice.payment_failed", t0 + 40, invoice("in_2", cus, "open", 700, 0));
        assertEquals("t", f.text("select payment_failed from invoice where stripe_invoice_id = 'in_2'"));
        assertEquals("open", f.text("select status from invoice where stripe_invoice_id = 'in_2'"));
        webhook("evt_7", "invoice.paid", t0 + 50, invoice("in_2", cus, "paid", 700, 700));
        assertEquals("f", f.text("select payment_failed from invoice where stripe_invoice_id = 'in_2'"));

        // an unknown customer is acknowledged and ignored
        assertEquals(200, webhook("evt_8", "invoice.created", t0, invoice("in_3", "cus_unknown", "draft", 1, 0)).statusCode());
        assertEquals("0", f.text("select count(*) from invoice where stripe_invoice_id = 'in_3'"));
    }

    @Test
    @Order(8)
    void theTenantSeesItsStripeInvoicesWithHostedPagesAndNoOneElseDoes() {
        List<Map> a = (List<Map>) http.toBlocking().retrieve(HttpRequest.GET("/api/v1/invoices")
                .bearerAuth(f.token(tenantA, Role.VIEWER)), Map.class).get("data");
        Map in1 = a.stream().filter(i -> "TG-0001".equals(i.get("number")) && "paid".equals(i.get("status"))
                && new BigDecimal(i.get("total_usd").toString()).compareTo(new BigDecimal("15")) == 0).findFirst().orElseThrow();
        assertEquals("stripe", in1.get("source"));
        assertEquals("https://invoice.stripe.test/in_1", in1.get("hosted_url"));
        assertEquals("https://invoice.stripe.test/in_1/pdf", in1.get("pdf_url"));
        assertEquals(2, a.size());
        List<Map> b = (List<Map>) http.toBlocking().retrieve(HttpRequest.GET("/api/v1/invoices")
                .bearerAuth(f.token(tenantB, Role.OWNER)), Map.class).get("data");
        assertEquals(0, b.size());
        assertEquals(HttpStatus.NOT_FOUND, Http.exchange(http.toBlocking(), HttpRequest.GET("/api/v1/invoices/" + in1.get("id"))
                .bearerAuth(f.token(tenantB, Role.OWNER))).getStatus());
    }

    @Test
    @Order(9)
    void reconciliationComparesWhatWasReportedWithStripesMeterSummaries() {
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        String range = "?from=" + today.minusDays(40) + "&to=" + today.plusDays(1);
        Map clean = Http.exchange(http.toBlocking(), Http.admin(HttpRequest.GET("/admin/v1/reconciliation" + range))).body();
        assertEquals(List.of(), clean.get("differences"), String.valueOf(clean.get("differences")));
        assertEquals(Map.of(), clean.get("errors"));
        List<Map> stripeRows = (List<Map>) clean.get("stripe");
        assertTrue(stripeRows.size() >= 2, stripeRows.toString());
        long reported = stripeRows.stream().filter(r -> tenantB.toString().equals(r.get("tenant_id")))
                .mapToLong(r -> ((Number) r.get("reported_micros")).longValue()).sum();
        assertEquals(STRIPE.meteredTotal(customer(tenantB)), reported);

        // Stripe lost one of A's events and counted one B never sent
        String dropped = STRIPE.meterEvents.keySet().stream().filter(k -> k.contains(tenantA.toString())).findFirst().orElseThrow();
        Map<String, String> event = STRIPE.meterEvents.remove(dropped);
        Map<String, String> extra = new java.util.LinkedHashMap<>(STRIPE.meterEvents.values().stream()
                .filter(e -> customer(tenantB).equals(e.get("payload[stripe_customer_id]"))).findFirst().orElseThrow());
        extra.put("identifier", "stray");
        STRIPE.meterEvents.put("stray", extra);
        List<Map> differences = (List<Map>) Http.exchange(http.toBlocking(),
                Http.admin(HttpRequest.GET("/admin/v1/reconciliation" + range))).body().get("differences");
        assertEquals(2, differences.size(), differences.toString());
        Map missing = differences.stream().filter(d -> tenantA.toString().equals(d.get("tenant_id"))).findFirst().orElseThrow();
        assertEquals("stripe", missing.get("check"));
        assertEquals("missing_events", missing.get("kind"));
        assertEquals(Long.parseLong(event.get("payload[value]")),
                Long.parseLong((String) missing.get("expected")) - Long.parseLong((String) missing.get("actual")));
        Map excess = differences.stream().filter(d -> tenantB.toString().equals(d.get("tenant_id"))).findFirst().orElseThrow();
        assertEquals("excess_events", excess.get("kind"));
        STRIPE.meterEvents.remove("stray");
        STRIPE.meterEvents.put(dropped, event);
    }

    @Test
    @Order(10)
    void aPlanChangeMovesTheSubscriptionItemToTheNewPlansPriceOnceThroughOutagesAndLostAnswers() {
        String subscription = f.text("select subscription_id from stripe_account where tenant_id = ?", tenantB);
        String freePrice = f.text("select stripe_id from stripe_object where key = 'price:free'");
        Map<String, String> items = STRIPE.subscriptions.get(subscription).items();
        assertEquals(1, items.size());
        String item = items.keySet().iterator().next();
        assertEquals(freePrice, items.get(item));

        // what the operator endpoint (PATCH /admin/v1/tenants/{id}) writes
        f.exec("update tenant set plan = 'pro' where id = ?", tenantB);
        STRIPE.outage(true);
        assertEquals(1, sync.runOnce());
        assertTrue(f.text("select last_error from stripe_account where tenant_id = ?", tenantB).contains("simulated outage"));
        assertEquals("free", f.text("select plan from stripe_account where tenant_id = ?", tenantB));
        assertEquals(0, sync.runOnce(), "not due before the backoff");

        STRIPE.outage(false);
        STRIPE.dropResponses(2); // the new price's answer is lost, then the swap's
        for (int i = 0; i < 5 && !"pro".equals(f.text("select plan from stripe_account where tenant_id = ?", tenantB)); i++) {
            f.exec("update stripe_account set next_attempt_at = now() where tenant_id = ?", tenantB);
            sync.runOnce();
        }
        assertEquals("pro", f.text("select plan from stripe_account where tenant_id = ?", tenantB));
        assertEquals("1", f.text("select plan_changes from stripe_account where tenant_id = ?", tenantB));
        assertNull(f.text("select last_error from stripe_account where tenant_id = ?", tenantB));
        String proPrice = f.text("select stripe_id from stripe_object where key = 'price:pro'");
        assertEquals(Map.of(item, proPrice), STRIPE.subscriptions.get(subscription).items(), "the same item, on the pro price");
        List<StripeTestServer.Recorded> swaps = STRIPE.posts("/v1/subscriptions/" + subscription);
        assertFalse(swaps.isEmpty());
        for (StripeTestServer.Recorded r : swaps) {
            assertEquals(item, r.params().get("items[0][id]"));
            assertEquals(proPrice, r.params().get("items[0][price]"));
            assertEquals("none", r.params().get("proration_behavior"));
            assertEquals("pro", r.params().get("metadata[tollgate_plan]"));
            assertEquals("tollgate-plan-" + tenantB + "-1-pro", r.idempotencyKey());
        }
        assertEquals(1, STRIPE.created("/v1/subscriptions/" + subscription), "swapped once");
        assertEquals(0, sync.runOnce());

        // back to free: a new move with its own key
        f.exec("update tenant set plan = 'free' where id = ?", tenantB);
        f.exec("update stripe_account set next_attempt_at = now() where tenant_id = ?", tenantB);
        assertEquals(1, sync.runOnce());
        assertEquals(Map.of(item, freePrice), STRIPE.subscriptions.get(subscription).items());
        List<StripeTestServer.Recorded> all = STRIPE.posts("/v1/subscriptions/" + subscription);
        assertEquals("tollgate-plan-" + tenantB + "-2-free", all.get(all.size() - 1).idempotencyKey());
        assertEquals("2", f.text("select plan_changes from stripe_account where tenant_id = ?", tenantB));
        assertEquals(List.of(), STRIPE.problems());
    }
}
