package dev.tollgate.portal;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.SelectOption;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.CompletionUsage;
import dev.tollgate.gateway.route.RouteStore;
import dev.tollgate.platform.simulator.SimulatorSettings;
import dev.tollgate.platform.simulator.UpstreamSimulator;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The customer's journey in headless Chromium (Debian's {@code /usr/bin/chromium}) against the
 * running server with the gateway, the billing worker and the upstream simulators: sign up, create
 * a key, call {@code /v1/chat/completions} with the official OpenAI SDK, see the request, its tokens
 * and cost on the dashboard, the usage explorer, the request log and the request's detail page; set a low budget, stream an
 * answer in the playground, get the budget alert in the mailbox, see the running period on the
 * invoices page.
 * Screenshots of every page go to {@code target/screenshots/}. Skipped (with a message) only when
 * Chromium is not installed.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortalJourneyTest extends PortalTestBase {

    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    private static final Path SHOTS = Paths.get("target", "screenshots");

    private UpstreamSimulator simulator;

    @Inject
    DataSource dataSource;

    @Inject
    RouteStore routeStore;

    @Inject
    JsonMapper json;
    private Playwright playwright;
    private Browser chromium;

    @Override
    protected Map<String, String> moreProperties() {
        simulator = UpstreamSimulator.start(SimulatorSettings.defaults());
        return gatewaySettings(simulator);
    }

    @BeforeAll
    void startBrowser() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
                "Chromium is not installed at " + CHROMIUM + " (apt-get install chromium): the browser journey is skipped");
        Files.createDirectories(SHOTS);
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        chromium = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM).setHeadless(true)
                .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run")));
    }

    @AfterAll
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void signUpCreateKeyCallTheGatewaySeeUsageSetABudgetGetTheAlertAndSeeTheRunningPeriod() {
        String base = server.getURL().toString().replaceAll("/$", "");
        // a zone without daylight saving time at UTC's offset: sign-up picks it up, dates stay as in UTC
        Page page = chromium.newPage(new Browser.NewPageOptions().setViewportSize(1280, 900).setTimezoneId("Africa/Abidjan"));
        page.setDefaultTimeout(20_000);
        List<String> consoleErrors = new ArrayList<>();
        page.onConsoleMessage(m -> {
            if ("error".equals(m.type())) {
                consoleErrors.add(page.url() + " (" + m.location() + "): " + m.text());
            }
        });
        page.onPageError(e -> consoleErrors.add(page.url() + ": " + e));

        page.navigate(base + "/");
        assertThat(page).hasURL(base + "/login");
        page.getByText("Create an account").click();
        page.getByLabel("Organization").fill("Journey Inc");
        page.getByLabel("Work e-mail").fill("journey-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        page.getByLabel("Password").fill("correct horse battery");
        assertThat(page.getByLabel("Time zone")).hasValue("Africa/Abidjan");
        shot(page, "01-signup");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create account")).click();
        assertThat(page.locator("h1")).containsText("Dashboard");
        assertThat(page.getByText("No requests yet this month")).isVisible();
        shot(page, "02-dashboard-empty");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("API keys")).click();
        assertThat(page.locator("h1")).hasText("API keys");
        page.getByLabel("Name").fill("journey-key");
        page.getByLabel("Requests/min").fill("600");
        page.getByLabel("Budget (USD/month)").fill("20");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create key")).click();
        assertThat(page.locator("#new-secret")).isVisible();
        String secret = page.locator("#new-secret").textContent().trim();
        assertTrue(secret.startsWith("tg_"), secret);
        assertThat(page.locator("#keys-table")).containsText("journey-key");
        shot(page, "03-keys-created");
        // the new secret goes to the playground of this tab only
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Try it in the playground")).click();
        assertThat(page.locator("h1")).hasText("Playground");
        assertThat(page.locator("[name=api_key]")).hasValue(secret);

        OpenAIClient client = OpenAIOkHttpClient.builder().apiKey(secret).baseUrl(base + "/v1").maxRetries(0).build();
        HttpResponseFor<ChatCompletion> response = client.chat().completions().withRawResponse().create(ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini").addUserMessage("Hello from the portal journey").build());
        String requestId = response.headers().values("x-request-id").get(0);
        CompletionUsage usage = response.parse().usage().orElseThrow();
        long total = usage.totalTokens();
        assertTrue(total > 0);

        // the meter writes usage events in the background: reload until the request is there
        page.navigate(base + "/requests");
        for (int i = 0; i < 40 && page.locator("#requests-table").count() == 0; i++) {
            page.waitForTimeout(500);
            page.reload();
        }
        assertThat(page.locator("#requests-table")).containsText("gpt-4o-mini");
        assertThat(page.locator("#requests-table")).containsText("journey-key");
        shot(page, "04-request-log");
        // the detail of the request the SDK made: its model, its tokens, its routing, and no stored text (logging is opt-in)
        page.locator("[id='request-" + requestId + "'] a").click();
        assertThat(page).hasURL(base + "/requests/" + requestId);
        assertThat(page.locator("h1")).containsText(requestId);
        assertThat(page.locator("#request-model")).containsText("gpt-4o-mini");
        assertThat(page.locator("#request-tokens")).containsText(String.format("%,d input", usage.promptTokens()));
        assertThat(page.locator("#request-tokens")).containsText(String.format("%,d output", usage.completionTokens()));
        assertThat(page.locator("#request-attempts")).containsText("One call to openai");
        assertThat(page.locator("#not-logged")).isVisible();
        shot(page, "05-request-detail");

        page.navigate(base + "/");
        assertThat(page.locator("#stat-requests")).hasText("1");
        assertThat(page.locator("#stat-tokens")).hasText(String.format("%,d", total));
        assertThat(page.locator("#spend-chart")).isVisible();
        shot(page, "06-dashboard");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Usage")).click();
        assertThat(page.locator("#usage-requests")).hasText("1");
        settled(page);
        page.getByLabel("Group by").selectOption("model");
        assertThat(page.locator("#usage-table")).containsText("gpt-4o-mini");
        shot(page, "07-usage-by-model");
        assertTrue(page.locator("#csv-link").getAttribute("href").startsWith("/usage.csv?"));

        // a budget far below what one request costs, alerting at 1 % of it
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Budgets")).click();
        assertThat(page.getByText("No budgets yet")).isVisible();
        page.getByLabel("Monthly budget (USD)").fill("0.0001");
        page.getByLabel("Alert at (% of the budget)").fill("1, 100");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save budget")).click();
        assertThat(page.locator(".notice.ok")).containsText("saved");
        assertThat(page.locator("#budgets-table")).containsText("$0.0001");
        shot(page, "08-budgets");

        // the playground streams a second request, which the billing worker then checks against the budget
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Playground")).click();
        assertThat(page.locator("[name=api_key]")).hasValue(secret);
        page.getByLabel("Message").fill("Stream a short answer please");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send")).click();
        assertThat(page.locator("#play-status")).containsText("Done in", new LocatorAssertions.ContainsTextOptions().setTimeout(30_000));
        String answer = page.locator("#play-answer").textContent();
        assertTrue(answer.trim().split("\\s+").length >= 2, "a streamed answer: " + answer);
        Matcher stats = Pattern.compile("(\\d+) input tokens · (\\d+) output tokens · (\\d+) total").matcher(page.locator("#play-stats").textContent());
        assertTrue(stats.find(), page.locator("#play-stats").textContent());
        long in = Long.parseLong(stats.group(1));
        long out = Long.parseLong(stats.group(2));
        assertTrue(in > 0 && out > 0);
        assertEquals(in + out, Long.parseLong(stats.group(3)));
        // the metered cost of the same request, with the tokens the stream reported
        assertThat(page.locator("#play-cost-value")).containsText("Cost $");
        assertThat(page.locator("#play-cost-value")).containsText(in + " in / " + out + " out");
        assertFalse(page.url().contains("api_key"), "the key never goes into a URL");
        shot(page, "09-playground");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Mailbox")).click();
        for (int i = 0; i < 40 && page.getByText("1% of the tenant budget").count() == 0; i++) {
            page.waitForTimeout(500);
            page.reload();
        }
        assertThat(page.getByText("1% of the tenant budget").first()).isVisible();
        shot(page, "10-mailbox-alert");
        page.getByText("1% of the tenant budget").first().click();
        assertThat(page.locator("h1")).containsText("1% of the tenant budget");
        shot(page, "11-mail");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Dashboard")).click();
        assertThat(page.locator("#budget-notice")).containsText("% threshold");
        assertThat(page.locator("#stat-requests")).hasText("2");
        shot(page, "12-dashboard-budget");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Invoices")).click();
        assertThat(page.locator("#running-period")).containsText("Current period");
        assertThat(page.locator("#running-lines")).containsText("gpt-4o-mini");
        assertThat(page.locator("#running-lines tbody tr").first().locator("td").nth(2)).hasText("2");
        assertThat(page.locator("#running-total")).hasText(Pattern.compile("^\\$\\d+\\.\\d{2}$"));
        // a new organization has no invoice yet and is told when the first one comes
        assertThat(page.locator("#no-invoices")).containsText("No invoices yet");
        shot(page, "13-invoices");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Members")).click();
        assertThat(page.locator("h1")).hasText("Members");
        shot(page, "14-members");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Projects")).click();
        assertThat(page.locator("h1")).hasText("Projects");
        shot(page, "15-projects");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Settings")).click();
        assertThat(page.locator("#organization-facts")).containsText("Africa/Abidjan");
        assertThat(page.getByLabel("Time zone")).hasValue("Africa/Abidjan");
        shot(page, "16-settings");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log out")).click();
        assertThat(page.getByText("You are signed out")).isVisible();
        assertEquals(List.of(), consoleErrors, "no script errors or failed loads in the browser");
    }

    /**
     * The key form offers, for the project chosen in it, only the routes that project's keys may bind:
     * its own, and the tenant-wide ones it has none of the same name of (portal.js, in the browser;
     * PagesTest checks the server's side of the same rule). The others are disabled and hidden; the
     * {@code disabled} property is checked: Playwright's isDisabled did not report it on options here.
     */
    @Test
    void keyFormOffersOnlyTheRoutesOfTheChosenProject() throws Exception {
        String base = server.getURL().toString().replaceAll("/$", "");
        Page page = chromium.newPage(new Browser.NewPageOptions().setViewportSize(1280, 900));
        page.setDefaultTimeout(20_000);
        String email = "routes-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        page.navigate(base + "/signup");
        page.getByLabel("Organization").fill("Route Choice Co");
        page.getByLabel("Work e-mail").fill(email);
        page.getByLabel("Password").fill("correct horse battery");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create account")).click();
        assertThat(page.locator("h1")).containsText("Dashboard");
        page.navigate(base + "/projects");
        page.locator("form[action='/projects'] [name=name]").fill("side");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create project")).click();
        assertThat(page.locator("main")).containsText("side");

        UUID tenant = uuid("select m.tenant_id from membership m join app_user u on u.id = m.user_id where u.email = ?", email);
        UUID side = uuid("select id from project where tenant_id = ? and name = 'side'", tenant);
        JsonNode config = json.readValue("{\"targets\":[{\"model\":\"gpt-4o-mini\"}]}", JsonNode.class);
        routeStore.put(tenant, null, "shared", config, UUID.randomUUID());
        routeStore.put(tenant, side, "shared", config, UUID.randomUUID());
        routeStore.put(tenant, side, "side-only", config, UUID.randomUUID());

        page.navigate(base + "/keys");
        Locator form = page.locator("form[data-route-filter]");
        Locator route = form.locator("select[name=route]");
        Locator tenantShared = route.locator("option[value=shared]:not([data-project])");
        Locator sideShared = route.locator("option[value=shared][data-project]");
        Locator sideOnly = route.locator("option[value=side-only]");

        form.locator("select[name=project_id]").selectOption(new SelectOption().setLabel("default"));
        assertThat(tenantShared).hasJSProperty("disabled", false);
        assertThat(sideShared).hasJSProperty("disabled", true);
        assertThat(sideShared).hasJSProperty("hidden", true);
        assertThat(sideOnly).hasJSProperty("disabled", true);
        route.selectOption("shared");
        assertEquals(null, route.evaluate("s => s.selectedOptions[0].dataset.project ?? null"),
                "the default project's keys follow the tenant-wide route");

        // switching to the project that has its own "shared": its route takes the tenant-wide one's place
        form.locator("select[name=project_id]").selectOption(new SelectOption().setLabel("side"));
        assertThat(tenantShared).hasJSProperty("disabled", true);
        assertThat(tenantShared).hasJSProperty("hidden", true);
        assertThat(sideShared).hasJSProperty("disabled", false);
        assertThat(sideOnly).hasJSProperty("disabled", false);
        assertEquals(side.toString(), route.evaluate("s => s.selectedOptions[0].dataset.project"));
        shot(page, "10-key-form-project-routes");

        form.locator("[name=name]").fill("side-routed");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create key")).click();
        assertThat(page.locator("#new-secret")).isVisible();
        assertEquals("shared", text("select route_name from api_key where tenant_id = ? and name = 'side-routed'", tenant));
        page.close();
    }

    private UUID uuid(String sql, Object arg) throws Exception {
        return UUID.fromString(text(sql, arg));
    }

    private String text(String sql, Object arg) throws Exception {
        try (Connection c = DelegatingDataSource.unwrapDataSource(dataSource).getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), sql);
                return rs.getString(1);
            }
        }
    }

    /**
     * Waits for htmx to finish a boosted navigation: it wires the new page's controls only when it
     * settles (after its settle delay), so a change made before that is not sent (seen once under load).
     */
    private static void settled(Page page) {
        assertThat(page.locator("body")).not().hasClass(Pattern.compile("htmx-(swapping|settling)"));
    }

    private static void shot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")).setFullPage(true));
    }
}
