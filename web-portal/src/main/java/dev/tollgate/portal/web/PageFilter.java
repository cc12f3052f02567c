package dev.tollgate.portal.web;

import dev.tollgate.platform.http.ErrorBody;
import dev.tollgate.platform.http.ErrorBodyResponseProcessor;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.io.Writable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.views.ModelAndView;
import io.micronaut.views.ModelAndViewRenderer;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a browser gets from the portal besides pages: an error of a portal request (a service's
 * 4xx, a route miss, a CSRF refusal, the last-resort 500 with its reference id) becomes a page —
 * or, for an htmx fragment request, a notice swapped into the page's {@code #flash} area — with
 * the message of the error and never a stack trace; a request without a valid session is sent
 * to the login page. Every portal response also gets its security headers.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(property = "tollgate.portal.enabled", notEquals = "false")
public class PageFilter implements Ordered {

    /** Content-Security-Policy of portal pages: scripts and styles only from our own origin. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private final ModelAndViewRenderer<Map<String, Object>, HttpRequest<?>> renderer;

    public PageFilter(ModelAndViewRenderer<Map<String, Object>, HttpRequest<?>> renderer) {
        this.renderer = renderer;
    }

    @Override
    public int getOrder() {
        // outside the security filter, so that its rejections pass through here too
        return ServerFilterPhase.TRACING.after();
    }

    @ResponseFilter
    public void filter(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (!PortalPaths.isPortal(request)) {
            return;
        }
        response.header("X-Content-Type-Options", "nosniff");
        response.header("X-Frame-Options", "DENY");
        response.header("Referrer-Policy", "same-origin");
        response.header(HttpHeaders.CACHE_CONTROL, "no-store");
        response.header("Content-Security-Policy", CSP);
        int status = response.code();
        if (status < 400 || !PortalPaths.isBrowser(request) || isHtml(response)) {
            return;
        }
        if (status == HttpStatus.UNAUTHORIZED.getCode()) {
            toLogin(request, response);
            return;
        }
        String message = response.getBody(ErrorBody.class).map(b -> b.error().message())
                .orElse(HttpStatus.valueOf(status).getReason());
        Map<String, Object> model = new HashMap<>();
        model.put("status", status);
        model.put("message", message);
        model.put("reference", response.getHeaders().get(ErrorBodyResponseProcessor.ERROR_ID_HEADER));
        boolean fragment = PortalPaths.isFragmentRequest(request);
        String view = fragment ? "error :: notice" : "error";
        Optional<Writable> page = renderer.render(new ModelAndView<>(view, model), request, MediaType.TEXT_HTML);
        if (page.isEmpty()) {
            return;
        }
        if (fragment) {
            // htmx leaves the page alone on errors unless told where to put the answer
            response.header("HX-Retarget", "#flash");
            response.header("HX-Reswap", "innerHTML");
        }
        @SuppressWarnings("unchecked")
        MutableHttpResponse<Object> html = (MutableHttpResponse<Object>) response;
        html.body(page.get()).contentType(MediaType.TEXT_HTML_TYPE);
    }

    private static void toLogin(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String login = request.getMethod() == HttpMethod.GET && !request.getPath().equals("/") && !request.getPath().startsWith("/login")
                ? "/login?next=" + URLEncoder.encode(request.getUri().toString(), StandardCharsets.UTF_8)
                : "/login";
        @SuppressWarnings("unchecked")
        MutableHttpResponse<Object> redirect = (MutableHttpResponse<Object>) response;
        redirect.body(null);
        if (request.getHeaders().contains(PortalPaths.HX_REQUEST)) {
            redirect.status(HttpStatus.OK).header("HX-Redirect", login);
        } else {
            redirect.status(HttpStatus.SEE_OTHER).headers(h -> h.location(URI.create(login)));
        }
        redirect.getHeaders().remove(HttpHeaders.CONTENT_TYPE);
        redirect.getHeaders().remove(HttpHeaders.WWW_AUTHENTICATE);
    }

    private static boolean isHtml(MutableHttpResponse<?> response) {
        return response.getContentType().map(t -> t.getName().equals(MediaType.TEXT_HTML)).orElse(false);
    }
}
