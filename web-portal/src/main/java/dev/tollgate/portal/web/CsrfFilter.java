package dev.tollgate.portal.web;

import dev.tollgate.platform.http.ErrorBody;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.http.server.filter.FilterBodyParser;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * CSRF protection of every state-changing portal request: a POST (or PUT, PATCH, DELETE) to a
 * portal path must carry the token of the browser's seed cookie, in the {@value CsrfTokens#HEADER}
 * header (htmx) or the {@value CsrfTokens#FIELD} form field, else it is refused with 403 before
 * any controller runs. Also gives every portal request a seed (a new one is sent as a cookie).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(property = "tollgate.portal.enabled", notEquals = "false")
public class CsrfFilter implements Ordered {

    private final CsrfTokens tokens;
    private final Cookies cookies;
    private final PortalConfiguration configuration;
    private final FilterBodyParser bodyParser;

    public CsrfFilter(CsrfTokens tokens, Cookies cookies, PortalConfiguration configuration, FilterBodyParser bodyParser) {
        this.tokens = tokens;
        this.cookies = cookies;
        this.configuration = configuration;
        this.bodyParser = bodyParser;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SESSION.order();
    }

    @RequestFilter
    public CompletableFuture<@Nullable HttpResponse<?>> check(HttpRequest<?> request) {
        if (!PortalPaths.isPortal(request)) {
            return CompletableFuture.completedFuture(null);
        }
        String cookieSeed = request.getCookies().findCookie(configuration.csrfCookie()).map(Cookie::getValue)
                .filter(CsrfTokens::wellFormed).orElse(null);
        if (cookieSeed == null) {
            String seed = tokens.newSeed();
            request.setAttribute(CsrfTokens.SEED_ATTRIBUTE, seed);
            request.setAttribute(CsrfTokens.NEW_SEED_ATTRIBUTE, Boolean.TRUE);
        } else {
            request.setAttribute(CsrfTokens.SEED_ATTRIBUTE, cookieSeed);
        }
        if (safe(request.getMethod())) {
            return CompletableFuture.completedFuture(null);
        }
        String header = request.getHeaders().get(CsrfTokens.HEADER);
        if (header != null) {
            return CompletableFuture.completedFuture(tokens.matches(cookieSeed, header) ? null : refusal());
        }
        if (!request.getContentType().map(MediaType.APPLICATION_FORM_URLENCODED_TYPE::matches).orElse(false)) {
            return CompletableFuture.completedFuture(refusal());
        }
        return bodyParser.parseBody(request)
                .thenApply(form -> form != null && tokens.matches(cookieSeed, field(form)) ? null : refusal());
    }

    @ResponseFilter
    public void issueSeed(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (request.getAttribute(CsrfTokens.NEW_SEED_ATTRIBUTE).isPresent()) {
            request.getAttribute(CsrfTokens.SEED_ATTRIBUTE, String.class)
                    .ifPresent(seed -> response.cookie(cookies.csrf(request, seed)));
        }
    }

    private static String field(Map<String, Object> form) {
        Object value = form.get(CsrfTokens.FIELD);
        return value instanceof String s ? s : null;
    }

    private static boolean safe(HttpMethod method) {
        return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
    }

    private static MutableHttpResponse<ErrorBody> refusal() {
        return HttpResponse.<ErrorBody>status(io.micronaut.http.HttpStatus.FORBIDDEN)
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(ErrorBody.of("This form has expired or was sent from another site. Reload the page and try again.",
                        "permission_error", null, "csrf_failed"));
    }
}
