package dev.tollgate.portal;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.tollgate.platform.simulator.SimulatorSettings;
import dev.tollgate.platform.simulator.UpstreamSimulator;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The customer's journey in headless Chromium (Debian's {@code /usr/bin/chromium}) against the
 * running server with the gateway and the upstream simulators: sign up, create a key, call
 * {@code /v1/chat/completions} with the official OpenAI SDK, see the request, its tokens and cost
 * on the dashboard, the usage explorer and the request log.
 * Screenshots of every page go to {@code target/screenshots/}. Skipped (with a message) only when
 * Chromium is not installed.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortalJourneyTest extends PortalTestBase {

    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    private static final Path SHOTS = Paths.get("target", "screenshots");

    private UpstreamSimulator simulator;
    private Playwright playwright;
    private Browser chromium;

    @Override
    protected Map<String, String> moreProperties() {
        simulator = UpstreamSimulator.start(SimulatorSettings.defaults());
        String base = simulator.baseUrl();
        Map<String, String> p = new HashMap<>();
        p.put("tollgate.providers.openai.base-url", base + "/openai/v1");
        p.put("tollgate.providers.openai.api-key", "sk-simulated");
        p.put("tollgate.providers.anthropic.base-url", base + "/anthropic/v1");
        p.put("tollgate.providers.anthropic.api-key", "sk-ant-simulated");
        p.put("tollgate.providers.gemini.base-url", base + "/gemini/v1beta");
        p.put("tollgate.providers.gemini.api-key", "gm-simulated");
        try {
            p.put("tollgate.meter.journal-dir", Files.createTempDirectory("tollgate-journal").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        p.put("tollgate.meter.segment-every", "50ms");
        return p;
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
    void signUpCreateKeyCallTheGatewayAndSeeUsage() {
        String base = server.getURL().toString().replaceAll("/$", "");
        Page page = chromium.newPage(new Browser.NewPageOptions().setViewportSize(1280, 900));
        page.setDefaultTimeout(20_000);

        page.navigate(base + "/");
        assertThat(page).hasURL(base + "/login");
        page.getByText("Create an account").click();
        page.getByLabel("Organization").fill("Journey Inc");
        page.getByLabel("Work e-mail").fill("journey-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        page.getByLabel("Password").fill("correct horse battery");
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

        OpenAIClient client = OpenAIOkHttpClient.builder().apiKey(secret).baseUrl(base + "/v1").maxRetries(0).build();
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini").addUserMessage("Hello from the portal journey").build());
        long total = completion.usage().orElseThrow().totalTokens();
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
        page.locator("#requests-table a").first().click();
        assertThat(page.locator("h1")).containsText("Request");
        shot(page, "05-request-detail");

        page.navigate(base + "/");
        assertThat(page.locator("#stat-requests")).hasText("1");
        assertThat(page.locator("#stat-tokens")).hasText(String.format("%,d", total));
        assertThat(page.locator("#spend-chart")).isVisible();
        shot(page, "06-dashboard");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Usage")).click();
        assertThat(page.locator("#usage-requests")).hasText("1");
        page.getByLabel("Group by").selectOption("model");
        assertThat(page.locator("#usage-table")).containsText("gpt-4o-mini");
        shot(page, "07-usage-by-model");
        assertTrue(page.locator("#csv-link").getAttribute("href").startsWith("/usage.csv?"));

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Members")).click();
        shot(page, "09-members");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Projects")).click();
        shot(page, "10-projects");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Mailbox")).click();
        shot(page, "11-mailbox");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log out")).click();
        assertThat(page.getByText("You are signed out")).isVisible();
    }

    private static void shot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")).setFullPage(true));
    }
}
