package dev.tollgate.portal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A minimal browser for HTTP tests of the portal: keeps cookies, does not follow redirects,
 * sends {@code Accept: text/html}, and knows the CSRF token of the last page it loaded.
 */
public final class Browser {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"|name=\"csrf-token\" content=\"([^\"]+)\"");

    private final URI base;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient client;
    private String csrf;

    public Browser(URI base) {
        this.base = base;
        this.client = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A page: status, headers and HTML. */
    public record Page(int status, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }

        public List<String> all(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).toList();
        }
    }

    public Page get(String path, String... headers) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), headers);
    }

    /** Posts a form with the CSRF token of the last page loaded (loading {@code path} first if none was). */
    public Page post(String path, Map<String, String> fields, String... headers) {
        if (csrf == null) {
            get(path.contains("?") ? path.substring(0, path.indexOf('?')) : path);
        }
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.putIfAbsent("_csrf", csrf);
        return postRaw(path, all, headers);
    }

    /** Posts exactly these fields (no CSRF token added). */
    public Page postRaw(String path, Map<String, String> fields, String... headers) {
        String body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    public String csrf() {
        return csrf;
    }

    public String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue).findFirst().orElse(null);
    }

    public void addCookie(String name, String value) {
        HttpCookie c = new HttpCookie(name, value);
        c.setPath("/");
        c.setVersion(0);
        cookies.getCookieStore().add(base, c);
    }

    public void clearCookies() {
        cookies.getCookieStore().removeAll();
        csrf = null;
    }

    /** Signs up a fresh organization and returns its owner's e-mail (the password is {@link #PASSWORD}). */
    public String signup(String organization) {
        String email = "owner-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Page p = post("/signup", Map.of("organization", organization, "email", email, "password", PASSWORD));
        if (p.status() != 303) {
            throw new AssertionError("sign-up failed: " + p.status() + " " + p.body());
        }
        return email;
    }

    public Page login(String email, String password) {
        get("/login");
        return post("/login", Map.of("email", email, "password", password));
    }

    public static final String PASSWORD = "correct horse battery";

    private Page send(HttpRequest.Builder builder, String... headers) {
        builder.header("Accept", "text/html,application/xhtml+xml").timeout(Duration.ofSeconds(30));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = CSRF.matcher(r.body());
            if (m.find()) {
                csrf = m.group(1) != null ? m.group(1) : m.group(2);
            }
            return new Page(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
