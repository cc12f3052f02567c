package dev.tollgate.portal.web;

import dev.tollgate.platform.http.ErrorBody;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.HttpResponse;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.http.ServerHttpRequest;
import io.micronaut.http.body.ByteBody;
import io.micronaut.http.form.FormUrlEncodedDecoder;

import java.nio.charset.Charset;

import java.util.Map;

/**
 * CSRF protection of every state-changing portal request: a POST (or PUT, PATCH, DELETE) to a
 * portal path must carry the token of the browser's seed cookie, in the {@value CsrfTokens#HEADER}
 * header (htmx) or the {@value CsrfTokens#FIELD} form field, else it is refused with 403 before
 * any controller runs. Also gives every portal request a seed (a new one is sent as a cookie).
 */
@Filter(Filter.MATCH_ALL_PATTERN)
@Requires(property = "tollgate.portal.enabled", notEquals = "false")
public class CsrfFilter implements HttpServerFilter {

    private final CsrfTokens tokens;
    private final Cookies cookies;
    private final PortalConfiguration configuration;
    private final FormUrlEncodedDecoder forms;

    public CsrfFilter(CsrfTokens tokens, Cookies cookies, PortalConfiguration configuration, FormUrlEncodedDecoder forms) {
        this.tokens = tokens;
        this.cookies = cookies;
        this.configuration = configuration;
        this.forms = forms;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SESSION.order();
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        if (!PortalPaths.isPortal(request)) {
            return chain.proceed(request);
        }
        String cookieSeed = request.getCookies().findCookie(configuration.csrfCookie()).map(Cookie::getValue)
                .filter(CsrfTokens::wellFormed).orElse(null);
        String seed = cookieSeed != null ? cookieSeed : tokens.newSeed();
        request.setAttribute(CsrfTokens.SEED_ATTRIBUTE, seed);
        Mono<Boolean> allowed;
        if (safe(request.getMethod())) {
            allowed = Mono.just(true);
        } else if (request.getHeaders().contains(CsrfTokens.HEADER)) {
            allowed = Mono.just(tokens.matches(cookieSeed, request.getHeaders().get(CsrfTokens.HEADER)));
        } else if (request instanceof ServerHttpRequest<?> server && request.getContentType()
                .map(MediaType.APPLICATION_FORM_URLENCODED_TYPE::matches).orElse(false)) {
            // read a copy of the body; the route still binds the original
            Charset charset = request.getCharacterEncoding();
            allowed = Mono.fromFuture(server.byteBody().split(ByteBody.SplitBackpressureMode.FASTEST).buffer()).map(body -> {
                try (body) {
                    return tokens.matches(cookieSeed, field(forms.decode(body.toString(charset), charset)));
                }
            });
        } else {
            allowed = Mono.just(false);
        }
        return allowed.flatMap(ok -> ok ? Mono.from(chain.proceed(request)) : Mono.<MutableHttpResponse<?>>just(refusal()))
                .map(response -> {
                    if (cookieSeed == null) {
                        response.cookie(cookies.csrf(request, seed));
                    }
                    return response;
                });
    }

    private static String field(Map<String, Object> form) {
        Object value = form.get(CsrfTokens.FIELD);
        if (value instanceof java.util.List<?> list && list.size() == 1) {
            value = list.get(0);
        }
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
