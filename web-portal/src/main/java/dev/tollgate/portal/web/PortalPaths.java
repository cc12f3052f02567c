package dev.tollgate.portal.web;

import io.micronaut.http.HttpRequest;

import java.util.List;

/**
 * Which requests are the portal's: its pages and forms, by path. The portal shares the server
 * with the gateway, the management API, webhooks and health endpoints, so CSRF checks and HTML
 * error pages apply to these paths only, never to anything else.
 */
public final class PortalPaths {

    /** Page paths; each also covers its sub-paths ({@code /keys/…}) and extensions ({@code /usage.csv}). */
    static final List<String> PAGES = List.of("/login", "/logout", "/signup", "/invites", "/keys", "/members", "/projects",
            "/usage", "/requests", "/budgets", "/invoices", "/mailbox", "/playground", "/settings");

    /** Request header htmx sends with every request it makes. */
    public static final String HX_REQUEST = "HX-Request";
    /** Request header htmx sends with the requests of boosted links and forms (whole-page swaps). */
    public static final String HX_BOOSTED = "HX-Boosted";

    private PortalPaths() {
    }

    public static boolean isPortal(String path) {
        if (path.equals("/")) {
            return true;
        }
        for (String page : PAGES) {
            if (path.equals(page) || path.startsWith(page + "/") || path.startsWith(page + ".")) {
                return true;
            }
        }
        return false;
    }

    public static boolean isPortal(HttpRequest<?> request) {
        return isPortal(request.getPath());
    }

    /** An htmx request that swaps a part of the page (not a boosted whole-page navigation). */
    public static boolean isFragmentRequest(HttpRequest<?> request) {
        return request.getHeaders().contains(HX_REQUEST) && !request.getHeaders().contains(HX_BOOSTED);
    }

    /** A request from a browser page: htmx, or a navigation that accepts HTML. */
    public static boolean isBrowser(HttpRequest<?> request) {
        return request.getHeaders().contains(HX_REQUEST)
                || request.getHeaders().accept().stream().anyMatch(m -> m.getName().equals("text/html"));
    }
}
