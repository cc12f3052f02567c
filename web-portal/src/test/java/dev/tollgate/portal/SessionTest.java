package dev.tollgate.portal;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionTest extends PortalTestBase {

    @Test
    void signedOutPagesRedirectToLogin() {
        Browser b = browser();
        Browser.Page dashboard = b.get("/");
        assertEquals(303, dashboard.status(), dashboard.body());
        assertEquals("/login", dashboard.header("Location"));
        Browser.Page keys = b.get("/keys");
        assertEquals(303, keys.status());
        assertEquals("/login?next=%2Fkeys", keys.header("Location"));
        Browser.Page htmx = b.get("/keys", "HX-Request", "true");
        assertEquals("/login?next=%2Fkeys", htmx.header("HX-Redirect"));
    }

    @Test
    void signupSetsAHardenedSessionCookieAndShowsTheDashboard() {
        Browser b = browser();
        b.get("/signup");
        Browser.Page signup = b.post("/signup", Map.of("organization", "Acme <script>", "email", "a-" + System.nanoTime() + "@example.com",
                "password", Browser.PASSWORD));
        assertEquals(303, signup.status(), signup.body());
        String setCookie = signup.all("Set-Cookie").stream().filter(c -> c.startsWith("tg_session=")).findFirst().orElseThrow();
        assertTrue(setCookie.toLowerCase().contains("httponly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Lax"), setCookie);
        assertFalse(setCookie.contains("Secure"), "plain HTTP without a TLS proxy: " + setCookie);

        Browser.Page dashboard = b.get("/");
        assertEquals(200, dashboard.status(), dashboard.body());
        assertTrue(dashboard.body().contains("Acme &lt;script&gt;"), "organization name escaped");
        assertFalse(dashboard.body().contains("Acme <script>"));
        assertTrue(dashboard.body().contains("No requests yet this month"), "empty state for a new tenant");
        assertNotNull(dashboard.header("Content-Security-Policy"));
    }

    @Test
    void sessionCookieIsSecureBehindATlsProxy() {
        Browser b = browser();
        b.get("/signup");
        Browser.Page signup = b.post("/signup", Map.of("organization", "Tls", "email", "tls-" + System.nanoTime() + "@example.com",
                "password", Browser.PASSWORD), "X-Forwarded-Proto", "https");
        assertEquals(303, signup.status(), signup.body());
        assertTrue(signup.all("Set-Cookie").stream().anyMatch(c -> c.startsWith("tg_session=") && c.contains("Secure")),
                signup.all("Set-Cookie").toString());
    }

    @Test
    void loginLogoutAndWrongPassword() {
        Browser b = browser();
        String email = b.signup("Login Co");
        b.clearCookies();

        Browser.Page wrong = b.login(email, "not the password");
        assertEquals(401, wrong.status());
        assertTrue(wrong.body().contains("Wrong e-mail or password"), wrong.body());
        assertFalse(wrong.body().contains("not the password"), "password never echoed");

        Browser.Page ok = b.login(email, Browser.PASSWORD);
        assertEquals(303, ok.status(), ok.body());
        assertEquals("/", ok.header("Location"));
        assertEquals(200, b.get("/").status());

        Browser.Page logout = b.post("/logout", Map.of());
        assertEquals(303, logout.status(), logout.body());
        assertEquals(303, b.get("/").status(), "signed out");
    }

    @Test
    void loginReturnsToTheRequestedPageButNeverOffSite() {
        Browser b = browser();
        String email = b.signup("Next Co");
        b.clearCookies();
        b.get("/login?next=/keys");
        Browser.Page ok = b.post("/login", Map.of("email", email, "password", Browser.PASSWORD, "next", "/keys"));
        assertEquals("/keys", ok.header("Location"));
        b.clearCookies();
        b.get("/login");
        Browser.Page evil = b.post("/login", Map.of("email", email, "password", Browser.PASSWORD, "next", "//evil.example/x"));
        assertEquals("/", evil.header("Location"));
    }

    @Test
    void signupErrorsAreShownInThePage() {
        Browser b = browser();
        b.get("/signup");
        Browser.Page bad = b.post("/signup", Map.of("organization", "", "email", "nope", "password", "short"));
        assertEquals(400, bad.status());
        assertTrue(bad.body().contains("must be a valid e-mail address"), bad.body());
        assertTrue(bad.body().contains("must have at least 10 characters"), bad.body());
        assertTrue(bad.body().contains("value=\"nope\""), "typed e-mail kept");
    }

    @Test
    void postsWithoutAValidCsrfTokenAreRefused() {
        Browser b = browser();
        String email = b.signup("Csrf Co");
        Browser.Page missing = b.postRaw("/logout", Map.of());
        assertEquals(403, missing.status());
        assertTrue(missing.body().contains("expired or was sent from another site"), missing.body());
        assertTrue(missing.header("Content-Type").startsWith("text/html"), "an error page, not JSON");
        Browser.Page forged = b.postRaw("/keys", Map.of("name", "x", "_csrf", "forged"));
        assertEquals(403, forged.status());
        Browser.Page forgedHeader = b.postRaw("/keys", Map.of("name", "x"), "X-CSRF-Token", "forged", "HX-Request", "true");
        assertEquals(403, forgedHeader.status());
        assertEquals("#flash", forgedHeader.header("HX-Retarget"));
        // a login form posted from another site (no token) is refused too
        Browser other = browser();
        Browser.Page crossSite = other.postRaw("/login", Map.of("email", email, "password", Browser.PASSWORD));
        assertEquals(403, crossSite.status());
        assertEquals(200, b.get("/").status(), "still signed in after the refused logout");
    }

    @Test
    void unknownPortalPageIsAnHtmlPageWithoutStackTrace() {
        Browser b = browser();
        b.signup("Err Co");
        Browser.Page missing = b.get("/keys/not-a-uuid/whatever");
        assertTrue(missing.status() >= 400 && missing.status() < 500, "status " + missing.status());
        assertTrue(missing.header("Content-Type").startsWith("text/html"), missing.header("Content-Type"));
        assertFalse(missing.body().contains("Exception"), missing.body());
    }
}
