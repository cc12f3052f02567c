package dev.tollgate.portal.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * The portal's cookies: the session (the access token, read back by Micronaut Security's cookie
 * token reader) and the CSRF seed. Both HttpOnly, SameSite=Lax, path {@code /}, and Secure when
 * the request came over TLS (directly or per {@code X-Forwarded-Proto}) or when configured so.
 */
@Singleton
public class Cookies {

    private final PortalConfiguration configuration;

    public Cookies(PortalConfiguration configuration) {
        this.configuration = configuration;
    }

    public Cookie session(HttpRequest<?> request, String accessToken, long maxAgeSeconds) {
        return cookie(request, configuration.sessionCookie(), accessToken).maxAge(Duration.ofSeconds(maxAgeSeconds));
    }

    public Cookie clearSession(HttpRequest<?> request) {
        return cookie(request, configuration.sessionCookie(), "").maxAge(0);
    }

    public Cookie csrf(HttpRequest<?> request, String seed) {
        return cookie(request, configuration.csrfCookie(), seed);
    }

    public boolean secure(HttpRequest<?> request) {
        if ("always".equalsIgnoreCase(configuration.secureCookies())) {
            return true;
        }
        return request.isSecure() || request.getHeaders().get("X-Forwarded-Proto", String.class)
                .map(p -> p.split(",")[0].trim().equalsIgnoreCase("https")).orElse(false);
    }

    private Cookie cookie(HttpRequest<?> request, String name, String value) {
        return Cookie.of(name, value).path("/").httpOnly(true).sameSite(SameSite.Lax).secure(secure(request));
    }
}
