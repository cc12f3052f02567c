package dev.tollgate.gateway.cache;

import dev.tollgate.gateway.route.RouteConfig;
import dev.tollgate.platform.http.ApiException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;

import java.time.Duration;
import java.util.Locale;

/**
 * What the cache may do for one request, from its route's {@code cache} settings and the
 * client's headers: {@code Cache-Control: no-store} bypasses the cache entirely;
 * {@code Cache-Control: no-cache} or {@code x-tollgate-cache-refresh: true} skips the lookup but
 * stores the fresh answer (a forced refresh); {@code x-tollgate-cache-ttl: <seconds>} sets the
 * lifetime of what is stored.
 *
 * @param read  whether to look the answer up
 * @param write whether to store a fresh answer
 * @param ttl   lifetime of a stored answer
 */
public record CachePolicy(RouteConfig.Cache settings, boolean read, boolean write, Duration ttl) {

    public static final String TTL_HEADER = "x-tollgate-cache-ttl";
    public static final String REFRESH_HEADER = "x-tollgate-cache-refresh";
    /** The response header: {@code hit}, {@code miss} or {@code bypass}. */
    public static final String STATUS_HEADER = "x-tollgate-cache";

    /** The policy of a request, or null when its route does not cache. */
    @Nullable
    public static CachePolicy of(@Nullable RouteConfig.Cache settings, HttpHeaders headers, Duration maxTtl) {
        if (settings == null) {
            return null;
        }
        String control = String.join(",", headers.getAll(HttpHeaders.CACHE_CONTROL)).toLowerCase(Locale.ROOT);
        boolean noStore = control.contains("no-store");
        boolean noCache = control.contains("no-cache");
        String refresh = headers.get(REFRESH_HEADER);
        if (refresh != null && !refresh.equalsIgnoreCase("true") && !refresh.equalsIgnoreCase("false")) {
            throw ApiException.badRequest(REFRESH_HEADER + " must be true or false", REFRESH_HEADER);
        }
        boolean forceRefresh = noCache || "true".equalsIgnoreCase(refresh);
        Duration ttl = Duration.ofSeconds(settings.ttlSeconds());
        String ttlHeader = headers.get(TTL_HEADER);
        if (ttlHeader != null) {
            long seconds;
            try {
                seconds = Long.parseLong(ttlHeader.trim());
            } catch (NumberFormatException e) {
                seconds = -1;
            }
            if (seconds < 1 || seconds > maxTtl.toSeconds()) {
                throw ApiException.badRequest(TTL_HEADER + " must be a whole number of seconds between 1 and "
                        + maxTtl.toSeconds(), TTL_HEADER);
            }
            ttl = Duration.ofSeconds(seconds);
        }
        if (ttl.compareTo(maxTtl) > 0) {
            ttl = maxTtl;
        }
        return new CachePolicy(settings, !noStore && !forceRefresh, !noStore, ttl);
    }

    /** The status to report when nothing was found (or looked up). */
    public String missStatus() {
        return read || write ? "miss" : "bypass";
    }

    public boolean semantic() {
        return settings.mode() == RouteConfig.CacheMode.SEMANTIC;
    }
}
