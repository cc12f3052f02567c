package dev.tollgate.portal;

import dev.tollgate.billing.budget.Budget;
import dev.tollgate.billing.budget.BudgetService;
import dev.tollgate.billing.invoice.LocalInvoiceDrafter;
import dev.tollgate.billing.rollup.UsageRollupWorker;
import dev.tollgate.gateway.route.RouteStore;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The portal's pages over real services: keys and their routes, members, roles, organization settings, sign-up time zone, tenant isolation, usage, request log, budgets, mailbox. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PagesTest extends PortalTestBase {

    private static final Pattern SECRET = Pattern.compile("tg_[A-Za-z0-9]+_[A-Za-z0-9]+");

    @Inject
    DataSource dataSource;

    @Inject
    BudgetService budgets;

    @Inject
    UsageRollupWorker rollups;

    @Inject
    LocalInvoiceDrafter drafter;

    @Inject
    RouteStore routeStore;

    @Inject
    JsonMapper json;

    @Test
    void keyIsCreatedWithLimitsShownOnceRotatedAndRevoked() {
        Browser b = browser();
        b.signup("Keys Co");
        Browser.Page list = b.get("/keys");
        assertEquals(200, list.status());
        assertTrue(list.body().contains(">default<"), "sign-up's first key is listed");
        assertFalse(SECRET.matcher(list.body()).find(), "no secret on the list");

        Map<String, String> form = new HashMap<>();
        form.put("name", "backend <prod>");
        form.put("rpm", "600");
        form.put("tokens_per_day", "100000");
        form.put("budget_usd", "25.50");
        form.put("models", "gpt-4o*, claude-*");
        form.put("endpoint_chat", "on");
        Browser.Page created = b.post("/keys", form);
        assertEquals(201, created.status(), created.body());
        Matcher m = SECRET.matcher(created.body());
        assertTrue(m.find(), "the new secret is shown");
        String secret = m.group();
        assertTrue(created.body().contains("backend &lt;prod&gt;"), "name escaped");
        assertTrue(created.body().contains("600 req/min"), created.body());
        assertTrue(created.body().contains("$25.5/month"));
        assertTrue(created.body().contains("gpt-4o*, claude-* · chat"));
        assertTrue(created.body().contains("data-copy=\"#new-secret\""), "copy button");

        Browser.Page again = b.get("/keys");
        assertFalse(again.body().contains(secret), "shown once only");
        String keyId = between(again.body(), "id=\"key-", "\"", "backend &lt;prod&gt;");

        Browser.Page rotated = b.post("/keys/" + keyId + "/rotate", Map.of("grace_seconds", "3600"));
        assertEquals(200, rotated.status(), rotated.body());
        Matcher r = SECRET.matcher(rotated.body());
        assertTrue(r.find());
        assertFalse(r.group().equals(secret), "a new secret");
        assertTrue(rotated.body().contains("the old secret keeps working until"), rotated.body());

        Browser.Page revoked = b.post("/keys/" + keyId + "/revoke", Map.of());
        assertEquals(200, revoked.status());
        assertTrue(revoked.body().contains("revoked: it stops working"), revoked.body());
        assertTrue(revoked.body().contains(">revoked<"));
    }

    @Test
    void badKeyInputIsShownAsFieldErrors() {
        Browser b = browser();
        b.signup("Bad Input Co");
        b.get("/keys");
        Browser.Page bad = b.post("/keys", Map.of("name", "", "rpm", "lots", "budget_usd", "-3", "expires_on", "2001-01-01"));
        assertEquals(400, bad.status(), bad.body());
        assertTrue(bad.body().contains("must be a whole number above 0"), bad.body());
        assertTrue(bad.body().contains("must be an amount in USD"), bad.body());
        assertTrue(bad.body().contains("value=\"lots\""), "typed values kept");
        Browser.Page past = b.post("/keys", Map.of("name", "old", "expires_on", "2001-01-01"));
        assertEquals(400, past.status(), past.body());
        assertTrue(past.body().contains("must be in the future"), past.body());
    }

    @Test
    void viewerSeesButCannotChangeAndAdminCannotReadInviteLinks() {
        Browser owner = browser();
        owner.signup("Roles Co");
        Browser viewer = invited(owner, "viewer");

        Browser.Page keys = viewer.get("/keys");
        assertEquals(200, keys.status());
        assertTrue(keys.body().contains(">default<"), "viewers read keys");
        assertFalse(keys.body().contains("Create a key"), "no create form for viewers");
        assertFalse(keys.body().contains(">Revoke<"));
        Browser.Page refused = viewer.post("/keys", Map.of("name", "sneaky"));
        assertEquals(403, refused.status(), refused.body());
        assertTrue(refused.body().contains("needs the member role"), refused.body());
        Browser.Page noMailbox = viewer.get("/mailbox");
        assertEquals(403, noMailbox.status());
        Browser.Page noInvite = viewer.post("/members", Map.of("email", "x@example.com", "role", "owner"));
        assertEquals(403, noInvite.status(), noInvite.body());
        assertFalse(viewer.get("/members").body().contains("Send invitation"));
        Browser.Page budgetsPage = viewer.get("/budgets");
        assertEquals(200, budgetsPage.status(), "viewers read budgets");
        assertFalse(budgetsPage.body().contains("Save budget"), "no budget form for viewers");
        Browser.Page noBudget = viewer.post("/budgets", Map.of("target", "tenant", "monthly_usd", "1", "thresholds", "50"));
        assertEquals(403, noBudget.status(), noBudget.body());
    }

    @Test
    void tenantsNeverSeeEachOther() throws SQLException {
        Browser a = browser();
        String aEmail = a.signup("Tenant A");
        Browser.Page aKeys = a.get("/keys");
        String aKeyId = between(aKeys.body(), "id=\"key-", "\"", null);
        UUID aTenant = tenantOf(aEmail);
        String requestId = "req_" + UUID.randomUUID();
        insertEvent(aTenant, UUID.fromString(aKeyId), requestId, "gpt-4o-mini", 200, 1200, 340, new BigDecimal("0.0123"));

        Browser b = browser();
        b.signup("Tenant B");
        Browser.Page bKeys = b.get("/keys");
        assertFalse(bKeys.body().contains(aKeyId));
        Browser.Page revoke = b.post("/keys/" + aKeyId + "/revoke", Map.of());
        assertEquals(404, revoke.status(), revoke.body());
        Browser.Page rotate = b.post("/keys/" + aKeyId + "/rotate", Map.of());
        assertEquals(404, rotate.status(), rotate.body());
        assertEquals(404, b.get("/requests/" + requestId).status());
        assertFalse(b.get("/requests").body().contains(requestId));
        assertTrue(b.get("/usage").body().contains("No usage in this range"));
        assertFalse(b.get("/usage.csv").body().contains("gpt-4o-mini"));

        assertTrue(a.get("/requests").body().contains(requestId), "the owner tenant sees it");
        assertTrue(a.get("/keys").body().contains(">active<"), "A's key untouched");
    }

    @Test
    void dashboardUsageExplorerCsvAndRequestLogShowMeteredRequests() throws SQLException {
        Browser a = browser();
        String email = a.signup("Usage Co");
        String keyId = between(a.get("/keys").body(), "id=\"key-", "\"", null);
        UUID tenant = tenantOf(email);
        insertEvent(tenant, UUID.fromString(keyId), "req_one", "gpt-4o-mini", 200, 1000, 200, new BigDecimal("0.0100"));
        insertEvent(tenant, UUID.fromString(keyId), "req_two", "claude-3-5-haiku", 200, 500, 100, new BigDecimal("0.0250"));
        insertEvent(tenant, UUID.fromString(keyId), "req_err", "gpt-4o-mini", 429, 0, 0, null);

        Browser.Page dashboard = a.get("/");
        assertEquals(200, dashboard.status(), dashboard.body());
        assertTrue(dashboard.body().contains("id=\"stat-spend\">$0.035<"), dashboard.body());
        assertTrue(dashboard.body().contains("id=\"stat-requests\">3<"));
        assertTrue(dashboard.body().contains("id=\"stat-tokens\">1,800<"));
        assertTrue(dashboard.body().contains("33.3% errors"));
        assertTrue(dashboard.body().contains("data-chart="), "spend chart");

        Browser.Page byModel = a.get("/usage?group=model");
        assertTrue(byModel.body().contains(">claude-3-5-haiku<"), byModel.body());
        assertTrue(byModel.body().contains("id=\"usage-tokens\">1,800<"));
        Browser.Page fragment = a.get("/usage?group=key", "HX-Request", "true");
        assertTrue(fragment.body().trim().startsWith("<div id=\"results\">"), "htmx gets only the results: " + fragment.body());
        assertTrue(fragment.body().contains("default · tg_"));

        Browser.Page csv = a.get("/usage.csv?group=model");
        assertEquals(200, csv.status());
        assertTrue(csv.header("Content-Type").startsWith("text/csv"));
        assertTrue(csv.header("Content-Disposition").contains("attachment"));
        assertTrue(csv.body().startsWith("model,requests,input_tokens,output_tokens,cached_input_tokens,errors,cost_usd\n"), csv.body());
        assertTrue(csv.body().contains("gpt-4o-mini,2,1000,200,0,1,0.0100000000"), csv.body());

        Browser.Page log = a.get("/requests?status=error");
        assertTrue(log.body().contains("req_err"));
        assertFalse(log.body().contains("req_one"));
        Browser.Page detail = a.get("/requests/req_two");
        assertTrue(detail.body().contains("claude-3-5-haiku"));
        assertTrue(detail.body().contains("$0.025"), detail.body());
        Browser.Page cost = a.get("/requests/req_two/cost", "HX-Request", "true");
        assertTrue(cost.body().contains("Cost $0.025"), cost.body());

        Browser.Page badDates = a.get("/usage?from=yesterday&to=2026-13-45");
        assertEquals(200, badDates.status());
        assertTrue(badDates.body().contains("is not a date such as"), "bad dates are a message, not an error");
    }

    @Test
    void budgetsAreSetThroughBillingAlertOnceCrossedAndShowOnTheDashboard() throws SQLException {
        Browser a = browser();
        String email = a.signup("Budget Co");
        UUID tenant = tenantOf(email);
        String keyId = between(a.get("/keys").body(), "id=\"key-", "\"", null);

        Browser.Page empty = a.get("/budgets");
        assertEquals(200, empty.status(), empty.body());
        assertTrue(empty.body().contains("No budgets yet"), empty.body());
        assertTrue(empty.body().contains("value=\"50, 80, 100\""), "default thresholds");
        assertTrue(empty.body().contains("value=\"" + email + "\""), "the admin is the default recipient");
        assertTrue(a.get("/").body().contains("No monthly budget set"));

        Browser.Page bad = a.post("/budgets", Map.of("target", "tenant", "monthly_usd", "0.00001", "thresholds", "50, lots",
                "alert_emails", "not-an-address"));
        assertEquals(400, bad.status(), bad.body());
        assertTrue(bad.body().contains("at most 4 decimals"), bad.body());
        assertTrue(bad.body().contains("enter percentages of the budget"), bad.body());
        assertTrue(bad.body().contains("up to 20 valid e-mail addresses"), "billing's rule, as the API answers it: " + bad.body());
        assertTrue(bad.body().contains("value=\"50, lots\""), "typed values kept");
        assertTrue(budgets.find(tenant, "tenant", tenant).isEmpty(), "nothing saved");

        Browser.Page saved = a.post("/budgets", Map.of("target", "tenant", "monthly_usd", "1.00", "thresholds", "80%, 50",
                "alert_emails", email + ", ops@example.com", "hard_cap", "on"));
        assertEquals(200, saved.status(), saved.body());
        assertTrue(saved.body().contains("saved."), saved.body());
        assertTrue(saved.body().contains("refuses requests"), saved.body());
        Budget budget = budgets.find(tenant, "tenant", tenant).orElseThrow();
        assertEquals(0, budget.monthlyUsd().compareTo(BigDecimal.ONE));
        assertEquals(List.of(new BigDecimal("0.5"), new BigDecimal("0.8")), budget.thresholds().stream().map(BigDecimal::stripTrailingZeros).toList());
        assertEquals(List.of(email, "ops@example.com"), budget.alertEmails());
        assertTrue(budget.hardCap());
        assertEquals(0, tenantLimit(tenant).compareTo(BigDecimal.ONE), "the hard cap is mirrored into the tenant's limits");

        Browser.Page keyBudget = a.post("/budgets", Map.of("target", "key:" + keyId, "monthly_usd", "5", "thresholds", "100",
                "alert_emails", ""));
        assertEquals(200, keyBudget.status(), keyBudget.body());
        assertTrue(keyBudget.body().contains("id=\"budget-key-" + keyId + "\""), keyBudget.body());
        assertTrue(keyBudget.body().contains("nobody (no e-mails)"));
        Browser.Page edit = a.get("/budgets?target=key:" + keyId);
        assertTrue(edit.body().contains("value=\"5\""), "the edit form holds the key's budget");

        // $0.85 billed and rolled by the billing worker: 50 % and 80 % crossed, each alerted once
        insertEvent(tenant, UUID.fromString(keyId), "req_big", "gpt-4o", 200, 100000, 10000, new BigDecimal("0.85"));
        rollups.runOnce();
        rollups.runOnce();
        Browser.Page dashboard = a.get("/");
        assertTrue(dashboard.body().contains("id=\"budget-notice\""), dashboard.body());
        assertTrue(dashboard.body().contains("85%"));
        assertTrue(dashboard.body().contains("(<span>80</span>% threshold"), dashboard.body());
        assertTrue(dashboard.body().contains("$0.85 billed of $1.00 budget (85%)"), dashboard.body());
        Browser.Page list = a.get("/budgets");
        assertTrue(list.body().contains("80% reached"), list.body());
        Browser.Page mailbox = a.get("/mailbox");
        assertEquals(1, count(mailbox.body(), "80% of the tenant budget"), mailbox.body());
        assertEquals(1, count(mailbox.body(), "50% of the tenant budget"), mailbox.body());

        // another tenant can neither see nor set these budgets
        Browser b = browser();
        b.signup("Other Co");
        assertFalse(b.get("/budgets").body().contains(keyId));
        Browser.Page foreign = b.post("/budgets", Map.of("target", "key:" + keyId, "monthly_usd", "9", "thresholds", "50"));
        assertEquals(404, foreign.status(), foreign.body());
        assertEquals(0, budgets.find(tenant, "key", UUID.fromString(keyId)).orElseThrow().monthlyUsd().compareTo(new BigDecimal("5")));
        Browser.Page forged = a.postRaw("/budgets", Map.of("target", "tenant", "monthly_usd", "1000", "thresholds", "50"));
        assertEquals(403, forged.status(), "no CSRF token");
        assertEquals(0, budgets.find(tenant, "tenant", tenant).orElseThrow().monthlyUsd().compareTo(BigDecimal.ONE));
    }

    @Test
    void invoicesPageShowsTheRunningPeriodAndTheTenantsInvoicesOnly() throws SQLException {
        Browser a = browser();
        String email = a.signup("Invoice Co");
        UUID tenant = tenantOf(email);
        Browser.Page empty = a.get("/invoices");
        assertEquals(200, empty.status(), empty.body());
        assertTrue(empty.body().contains("Nothing billed this period yet"), empty.body());
        assertTrue(empty.body().contains("id=\"running-total\">$0.00<"), empty.body());
        assertTrue(empty.body().contains("id=\"no-invoices\""), "a new tenant is told when its first invoice comes: " + empty.body());

        insertEvent(tenant, null, "req_inv1", "gpt-4o-mini", 200, 1000, 200, new BigDecimal("0.012"));
        insertEvent(tenant, null, "req_inv2", "gpt-4o-mini", 200, 1000, 200, new BigDecimal("0.012"));
        insertEvent(tenant, null, "req_inv3", "claude-3-5-haiku", 200, 500, 100, new BigDecimal("0.004"));
        // two months ago: billing drafts that month's invoice, then finalizes it once the month is over
        Instant earlier = YearMonth.now(ZoneOffset.UTC).minusMonths(2).atDay(15).atTime(12, 0).toInstant(ZoneOffset.UTC);
        insertEventAt(tenant, "req_old", "gpt-4o", earlier, new BigDecimal("1234.567"));
        rollups.runOnce();
        drafter.runOnce(earlier);
        drafter.runOnce(Instant.now());
        // and one mirrored from Stripe, as its webhook stores it: a hosted page, a PDF URL that is not a web link
        insertStripeInvoice(tenant, "INV-<b>7</b>", "https://invoice.stripe.com/i/acct_1?s=ap&x=1", "javascript:alert(1)");

        Browser.Page invoices = a.get("/invoices");
        String body = invoices.body();
        assertTrue(body.contains("id=\"running-lines\""), body);
        assertTrue(body.contains("<td>gpt-4o-mini</td>"), body);
        // lines rounded to the cent as an invoice draws them: $0.02 + $0.00; exactly $0.028 billed
        assertTrue(body.contains("id=\"running-total\">$0.02<"), body);
        assertTrue(body.contains("$0.028 billed so far"), body);
        assertTrue(body.contains("<td class=\"num\">2,000</td>"), "input tokens of the gpt-4o-mini line: " + body);

        assertFalse(body.contains("id=\"no-invoices\""), body);
        String table = between(body, "<table id=\"invoices-table\">", "</table>", null);
        assertEquals(2, count(table, "<tr id=\"invoice-"), "the finalized and the Stripe invoice; this period's draft is the running total: " + table);
        String old = row(table, "TG-");
        assertTrue(old.contains(">open<"), old);
        assertTrue(old.contains(">1,234.57<"), "amount to the cent: " + old);
        assertTrue(old.contains(">USD<"), old);
        assertTrue(old.contains(YearMonth.from(earlier.atZone(ZoneOffset.UTC)).atDay(1) + " to "
                + YearMonth.from(earlier.atZone(ZoneOffset.UTC)).atEndOfMonth()), old);
        assertFalse(old.contains("<a "), "a local invoice has no hosted page or PDF: " + old);
        String stripe = row(table, "INV-");
        assertTrue(stripe.contains("INV-&lt;b&gt;7&lt;/b&gt;"), "escaped: " + stripe);
        assertTrue(stripe.contains(">EUR<") && stripe.contains(">19.90<") && stripe.contains(">paid<"), stripe);
        assertTrue(stripe.contains("href=\"https://invoice.stripe.com/i/acct_1?s=ap&amp;x=1\""), stripe);
        assertFalse(stripe.contains("javascript:"), "only http(s) URLs become links: " + stripe);
        assertFalse(stripe.contains("class=\"pdf-link\""), stripe);

        Browser b = browser();
        UUID other = tenantOf(b.signup("Other Invoice Co"));
        insertStripeInvoice(other, "INV-OTHER", "https://invoice.stripe.com/i/other", "https://pay.stripe.com/invoice/other/pdf");
        Browser.Page mine = b.get("/invoices");
        assertTrue(mine.body().contains("Nothing billed this period yet"), mine.body());
        assertFalse(mine.body().contains("gpt-4o-mini"));
        assertFalse(mine.body().contains("TG-") || mine.body().contains("INV-&lt;b&gt;"), "never another tenant's invoice: " + mine.body());
        assertTrue(mine.body().contains("href=\"https://pay.stripe.com/invoice/other/pdf\""), mine.body());
        assertFalse(a.get("/invoices").body().contains("INV-OTHER"));
    }

    /** The table row holding {@code text}. */
    private static String row(String table, String text) {
        int at = table.indexOf(text);
        assertTrue(at >= 0, text + " not in " + table);
        return table.substring(table.lastIndexOf("<tr", at), table.indexOf("</tr>", at));
    }

    private void insertStripeInvoice(UUID tenant, String number, String hostedUrl, String pdfUrl) throws SQLException {
        YearMonth month = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement("""
                insert into invoice (id, tenant_id, source, number, status, state_rank, currency, period_start, period_end,
                                     total_usd, amount_due_usd, amount_paid_usd, hosted_url, pdf_url, stripe_invoice_id)
                values (?, ?, 'stripe', ?, 'paid', 2, 'eur', ?, ?, 19.90, 19.90, 19.90, ?, ?, ?)""")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setObject(2, tenant);
            ps.setString(3, number);
            ps.setTimestamp(4, Timestamp.from(month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
            ps.setTimestamp(5, Timestamp.from(month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
            ps.setString(6, hostedUrl);
            ps.setString(7, pdfUrl);
            ps.setString(8, "in_" + UUID.randomUUID());
            ps.executeUpdate();
        }
    }

    private BigDecimal tenantLimit(UUID tenant) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
                "select (limits ->> 'budget_usd_per_month')::numeric from tenant where id = ?")) {
            ps.setObject(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getBigDecimal(1);
            }
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void signUpTakesATimeZoneAndRefusesAnUnknownOne() throws SQLException {
        Browser b = browser();
        Browser.Page form = b.get("/signup");
        assertTrue(form.body().contains("data-detect-zone=\"true\""), "the browser's zone is filled in by portal.js");
        assertTrue(form.body().contains("<option value=\"UTC\" selected=\"selected\">UTC</option>"), form.body());
        assertTrue(form.body().contains("<option value=\"Europe/Berlin\">Europe/Berlin</option>"));

        String email = "zone-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Browser.Page bad = b.post("/signup", Map.of("organization", "Offset Co", "email", email,
                "password", Browser.PASSWORD, "time_zone", "+05:00"));
        assertEquals(400, bad.status(), bad.body());
        assertTrue(bad.body().contains("Invalid time_zone: use an IANA time zone name"), bad.body());
        assertTrue(bad.body().contains("value=\"Offset Co\""), "typed values kept");

        Browser.Page ok = b.post("/signup", Map.of("organization", "Berlin Co", "email", email,
                "password", Browser.PASSWORD, "time_zone", "Europe/Berlin"));
        assertEquals(303, ok.status(), ok.body());
        assertEquals("Europe/Berlin", zoneOf(tenantOf(email)));
    }

    @Test
    void ownersChangeTheOrganizationSettingsMembersOnlyReadThem() throws SQLException {
        Browser owner = browser();
        String email = owner.signup("Settings Co");
        UUID tenant = tenantOf(email);
        Browser.Page page = owner.get("/settings");
        assertEquals(200, page.status(), page.body());
        assertTrue(page.body().contains("<dt>Plan</dt><dd>" + planOf(tenant) + "</dd>"), page.body());
        assertTrue(page.body().contains("<dt>Time zone</dt><dd>UTC</dd>"), page.body());
        assertTrue(page.body().contains("daily and monthly token quotas, the budget month and the invoice period"));
        assertTrue(page.body().contains("Save settings"));
        assertTrue(Pattern.compile("<a href=\"/settings\"[^>]*aria-current=\"page\"").matcher(page.body()).find(), "in the navigation");

        Browser.Page forged = owner.postRaw("/settings", Map.of("name", "Forged", "time_zone", "Asia/Tokyo"));
        assertEquals(403, forged.status(), "a form without the CSRF token is refused");
        assertEquals("UTC", zoneOf(tenant));

        Browser.Page bad = owner.post("/settings", Map.of("name", "Settings Co", "time_zone", "Mars/Olympus_Mons"));
        assertEquals(400, bad.status(), bad.body());
        assertTrue(bad.body().contains("Invalid time_zone: use an IANA time zone name"), bad.body());
        assertTrue(bad.body().contains("class=\"field-error\">Invalid time_zone"), "shown at the field too");
        assertEquals("UTC", zoneOf(tenant));
        Browser.Page blank = owner.post("/settings", Map.of("name", " ", "time_zone", "UTC"));
        assertEquals(400, blank.status(), blank.body());
        assertTrue(blank.body().contains("Please check name"), blank.body());

        Browser.Page saved = owner.post("/settings", Map.of("name", "Renamed <Co>", "time_zone", "America/New_York"));
        assertEquals(200, saved.status(), saved.body());
        assertTrue(saved.body().contains("Organization settings saved."), saved.body());
        assertTrue(saved.body().contains("<dd>Renamed &lt;Co&gt;</dd>"), saved.body());
        assertEquals("America/New_York", zoneOf(tenant));

        Browser member = invited(owner, "member");
        Browser.Page read = member.get("/settings");
        assertEquals(200, read.status(), read.body());
        assertTrue(read.body().contains("<dt>Time zone</dt><dd>America/New_York</dd>"), read.body());
        assertTrue(read.body().contains("Only owners and admins can change these settings."));
        assertFalse(read.body().contains("Save settings"), "no form for members");
        Browser.Page refused = member.post("/settings", Map.of("name", "Hijacked", "time_zone", "Asia/Tokyo"));
        assertEquals(403, refused.status(), refused.body());
        assertTrue(refused.body().contains("needs the admin role"), refused.body());
        assertEquals("America/New_York", zoneOf(tenant));
        assertTrue(owner.get("/settings").body().contains("<dd>Renamed &lt;Co&gt;</dd>"), "the name is unchanged");
    }

    @Test
    void keyBindsOnlyToARouteItsProjectMaySee() throws Exception {
        Browser a = browser();
        UUID tenant = tenantOf(a.signup("Routes Co"));
        a.get("/projects");
        assertEquals(201, a.post("/projects", Map.of("name", "side")).status());
        UUID side = projectId(tenant, "side");
        JsonNode config = json.readValue("{\"targets\":[{\"model\":\"gpt-4o-mini\"}]}", JsonNode.class);
        routeStore.put(tenant, null, "resilient", config, UUID.randomUUID());
        routeStore.put(tenant, side, "side-only", config, UUID.randomUUID());
        UUID other = tenantOf(browser().signup("Other Routes Co"));
        routeStore.put(other, null, "foreign-route", config, UUID.randomUUID());

        Browser.Page form = a.get("/keys");
        assertTrue(form.body().contains("<option value=\"resilient\">resilient (organization)</option>"), form.body());
        assertTrue(form.body().contains("<option value=\"side-only\" data-project=\"" + side + "\">side-only (project side)</option>"), form.body());
        assertFalse(form.body().contains("foreign-route"), "another tenant's route is not offered");

        Browser.Page bound = a.post("/keys", Map.of("name", "routed", "route", "resilient"));
        assertEquals(201, bound.status(), bound.body());
        assertTrue(bound.body().contains("<td class=\"key-route\">resilient</td>"), bound.body());
        assertEquals("resilient", routeOf(tenant, "routed"));
        assertTrue(a.get("/keys").body().contains("<td class=\"key-route\">resilient</td>"), "shown in the list");

        Browser.Page foreign = a.post("/keys", Map.of("name", "sneaky", "route", "foreign-route"));
        assertEquals(400, foreign.status(), foreign.body());
        assertTrue(foreign.body().contains("No route named &#39;foreign-route&#39; exists"), foreign.body());
        assertTrue(foreign.body().contains("class=\"field-error\">No route named"), "shown at the field");
        Browser.Page otherProject = a.post("/keys", Map.of("name", "misplaced", "route", "side-only"));
        assertEquals(400, otherProject.status(), "the default project's key cannot bind the side project's route");
        Browser.Page sideKey = a.post("/keys", Map.of("name", "side-key", "project_id", side.toString(), "route", "side-only"));
        assertEquals(201, sideKey.status(), sideKey.body());
        assertEquals("side-only", routeOf(tenant, "side-key"));
        assertFalse(a.get("/keys").body().contains("sneaky"), "no key created for a refused route");

        // an existing key's route changes from the list: rebind, refuse another project's route, unbind
        String routedId = single("select id from api_key where tenant_id = ? and name = 'routed'", tenant);
        String sideKeyId = single("select id from api_key where tenant_id = ? and name = 'side-key'", tenant);
        Browser.Page list = a.get("/keys");
        String routedRow = between(list.body(), "id=\"key-" + routedId + "\"", "</tr>", null);
        assertTrue(routedRow.contains("<option value=\"resilient\" selected=\"selected\">"), routedRow);
        assertFalse(routedRow.contains("side-only"), "a default-project key is not offered the side project's route");
        assertTrue(between(list.body(), "id=\"key-" + sideKeyId + "\"", "</tr>", null).contains("side-only"));
        Browser.Page refusedRoute = a.post("/keys/" + routedId + "/route", Map.of("route", "side-only"));
        assertEquals(400, refusedRoute.status(), refusedRoute.body());
        assertEquals("resilient", routeOf(tenant, "routed"), "unchanged after a refused route");
        Browser.Page unbound = a.post("/keys/" + routedId + "/route", Map.of("route", ""));
        assertEquals(200, unbound.status(), unbound.body());
        assertTrue(unbound.body().contains("Key \u201crouted\u201d no longer follows a route."), unbound.body());
        assertNull(routeOf(tenant, "routed"));
        Browser.Page rebound = a.post("/keys/" + routedId + "/route", Map.of("route", "resilient"));
        assertTrue(rebound.body().contains("now follows route \u201cresilient\u201d"), rebound.body());
        assertEquals("resilient", routeOf(tenant, "routed"));

        // a project route named like a tenant-wide one is what the project's keys follow: only it is offered to them
        routeStore.put(tenant, side, "resilient", config, UUID.randomUUID());
        Browser.Page shadowed = a.get("/keys");
        String sideRow = between(shadowed.body(), "id=\"key-" + sideKeyId + "\"", "</tr>", null);
        assertTrue(sideRow.contains(">resilient (project side)</option>"), sideRow);
        assertFalse(sideRow.contains("resilient (organization)"), sideRow);
        assertTrue(between(shadowed.body(), "id=\"key-" + routedId + "\"", "</tr>", null).contains(">resilient (organization)</option>"));
    }

    /** A browser signed in as a new member of {@code owner}'s organization with {@code role}, invited through the pages. */
    private Browser invited(Browser owner, String role) {
        String email = role + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        owner.get("/members");
        Browser.Page invited = owner.post("/members", Map.of("email", email, "role", role));
        assertEquals(201, invited.status(), invited.body());
        assertTrue(invited.body().contains("Invitation sent to " + email));

        Browser.Page mailbox = owner.get("/mailbox");
        assertEquals(200, mailbox.status(), mailbox.body());
        String mailId = between(mailbox.body(), "href=\"/mailbox/", "\"", null);
        Browser.Page mail = owner.get("/mailbox/" + mailId);
        Matcher link = Pattern.compile("/invites/accept\\?token=([A-Za-z0-9_%-]+)").matcher(mail.body());
        assertTrue(link.find(), mail.body());

        Browser member = browser();
        member.get("/invites/accept?token=" + link.group(1));
        Browser.Page accepted = member.post("/invites/accept", Map.of("token", java.net.URLDecoder.decode(link.group(1), java.nio.charset.StandardCharsets.UTF_8),
                "password", role + " password 123"));
        assertEquals(303, accepted.status(), accepted.body());
        return member;
    }

    private Connection connection() throws SQLException {
        return DelegatingDataSource.unwrapDataSource(dataSource).getConnection();
    }

    private String zoneOf(UUID tenant) throws SQLException {
        return single("select time_zone from tenant where id = ?", tenant);
    }

    private String planOf(UUID tenant) throws SQLException {
        return single("select plan from tenant where id = ?", tenant);
    }

    private UUID projectId(UUID tenant, String name) throws SQLException {
        return UUID.fromString(single("select id::text from project where tenant_id = ? and name = '" + name + "'", tenant));
    }

    private String routeOf(UUID tenant, String keyName) throws SQLException {
        return single("select route_name from api_key where tenant_id = ? and name = '" + keyName + "'", tenant);
    }

    private String single(String sql, UUID tenant) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), sql);
                return rs.getString(1);
            }
        }
    }

    private UUID tenantOf(String email) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
                "select m.tenant_id from membership m join app_user u on u.id = m.user_id where u.email = ?")) {
            ps.setString(1, email);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getObject(1, UUID.class);
            }
        }
    }

    private void insertEventAt(UUID tenant, String requestId, String model, Instant at, BigDecimal billed) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement("""
                insert into usage_event (request_id, occurred_at, tenant_id, endpoint, model_requested, model_served, provider,
                    status, input_tokens, output_tokens, latency_ms, cost_usd, billed_usd, priced)
                values (?, ?, ?, 'chat', ?, ?, 'openai', 200, 100, 10, 42, ?, ?, true)""")) {
            ps.setString(1, requestId);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setObject(3, tenant);
            ps.setString(4, model);
            ps.setString(5, model);
            ps.setBigDecimal(6, billed);
            ps.setBigDecimal(7, billed);
            ps.executeUpdate();
        }
    }

    private void insertEvent(UUID tenant, UUID keyId, String requestId, String model, int status, long in, long out,
                             BigDecimal billed) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement("""
                insert into usage_event (request_id, occurred_at, tenant_id, api_key_id, endpoint, model_requested, model_served,
                    provider, status, input_tokens, output_tokens, latency_ms, cost_usd, billed_usd, priced)
                values (?, ?, ?, ?, 'chat', ?, ?, 'openai', ?, ?, ?, 42, ?, ?, ?)""")) {
            ps.setString(1, requestId);
            ps.setTimestamp(2, Timestamp.from(Instant.now().minus(1, ChronoUnit.MINUTES)));
            ps.setObject(3, tenant);
            ps.setObject(4, keyId);
            ps.setString(5, model);
            ps.setString(6, model);
            ps.setInt(7, status);
            ps.setLong(8, in);
            ps.setLong(9, out);
            ps.setBigDecimal(10, billed);
            ps.setBigDecimal(11, billed);
            ps.setBoolean(12, billed != null);
            ps.executeUpdate();
        }
    }

    /** The text between {@code start} and {@code end} at the first {@code start} (after {@code after}, if given). */
    private static String between(String text, String start, String end, String after) {
        int from = after == null ? 0 : text.indexOf(after);
        if (after != null) {
            from = text.lastIndexOf(start, from);
        }
        int s = text.indexOf(start, Math.max(0, from));
        assertTrue(s >= 0, start + " not in " + text);
        int e = text.indexOf(end, s + start.length());
        String value = text.substring(s + start.length(), e);
        assertNotNull(value);
        return value;
    }
}
