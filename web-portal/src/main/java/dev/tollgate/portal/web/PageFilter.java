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

import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What a browser gets from the portal besides pages: an error of a portal request (a service's
 * 4xx, a route miss, a CSRF refusal, the last-resort 500 with its reference id) becomes a page —
 * or, for an htmx fragment request, a notice swapped into the page's {@code #flash} area — with
 * the message of the error and never a stack trace; a request without a valid session is sent
 * to the login page. Every portal response also gets its security headers.
 * <p>
 * Pages are rendered here, into memory, before the status line is sent: micronaut-views hands
 * the server a lazy template that would otherwise fail while being written, after the response
 * has started, and leave the browser waiting forever. A template that fails is a 500 page with a
 * reference id instead (the exception is logged under that id).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(property = "tollgate.portal.enabled", notEquals = "false")
public class PageFilter implements Ordered {

    /** Content-Security-Policy of portal pages: scripts and styles only from our own origin. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private static final Logger LOG = LoggerFactory.getLogger(PageFilter.class);
    private static final MediaType HTML = MediaType.of("text/html;charset=utf-8");
    /** Shown when even the error page cannot be rendered. */
    private static final String LAST_RESORT = "<!DOCTYPE html><title>Error</title><p>Something went wrong (reference %s).</p>";

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
    @ExecuteOn(TaskExecutors.BLOCKING)
    public void filter(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (!PortalPaths.isPortal(request)) {
            return;
        }
        response.header("X-Content-Type-Options", "nosniff");
        response.header("X-Frame-Options", "DENY");
        response.header("Referrer-Policy", "same-origin");
        response.header(HttpHeaders.CACHE_CONTROL, "no-store");
        response.header("Content-Security-Policy", CSP);
        @SuppressWarnings("unchecked")
        MutableHttpResponse<Object> html = (MutableHttpResponse<Object>) response;
        Optional<Writable> lazy = response.getBody(Writable.class);
        if (lazy.isPresent()) {
            try {
                html.body(write(lazy.get()));
            } catch (RuntimeException | IOException e) {
                String reference = "err_" + UUID.randomUUID().toString().replace("-", "");
                LOG.error("{} {}: the page could not be rendered, reference {}", request.getMethodName(), request.getPath(), reference, e);
                html.status(HttpStatus.INTERNAL_SERVER_ERROR).header(ErrorBodyResponseProcessor.ERROR_ID_HEADER, reference);
                error(request, html, "The page could not be shown. Try again; if it keeps failing, contact support with the reference.",
                        reference);
            }
            return;
        }
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
        error(request, html, message, response.getHeaders().get(ErrorBodyResponseProcessor.ERROR_ID_HEADER));
    }

    /** Replaces the body with the error page (or, for an htmx fragment request, the notice for {@code #flash}). */
    private void error(HttpRequest<?> request, MutableHttpResponse<Object> response, String message, @Nullable String reference) {
        Map<String, Object> model = new HashMap<>();
        model.put("status", response.code());
        model.put("message", message);
        model.put("reference", reference);
        boolean fragment = PortalPaths.isFragmentRequest(request);
        String view = fragment ? "error :: notice" : "error";
        String body;
        try {
            Optional<Writable> page = renderer.render(new ModelAndView<>(view, model), request, MediaType.TEXT_HTML);
            if (page.isEmpty()) {
                return;
            }
            body = write(page.get());
        } catch (RuntimeException | IOException e) {
            LOG.error("{} {}: the error page could not be rendered", request.getMethodName(), request.getPath(), e);
            body = String.format(LAST_RESORT, reference == null ? "none" : reference);
        }
        if (fragment) {
            // htmx leaves the page alone on errors unless told where to put the answer
            response.header("HX-Retarget", "#flash");
            response.header("HX-Reswap", "innerHTML");
        }
        response.body(body).contentType(HTML);
    }

    private static String write(Writable writable) throws IOException {
        StringWriter out = new StringWriter(8192);
        writable.writeTo(out);
        return out.toString();
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
