package dev.tollgate.portal;

import dev.tollgate.platform.testing.RealServices;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Inject;

import java.util.HashMap;
import java.util.Map;

/**
 * Settings every portal test runs with: those the lead adds to app's application.yml (the
 * session cookie read by Micronaut Security, no security redirects) plus a fast bcrypt cost.
 * Subclasses carry {@code @MicronautTest} and {@code PER_CLASS}.
 */
public abstract class PortalTestBase implements RealServices {

    @Inject
    protected EmbeddedServer server;

    /** The application.yml entries the portal needs (see the README's configuration section). */
    public static Map<String, String> portalSettings() {
        Map<String, String> props = new HashMap<>();
        props.put("micronaut.security.authentication", "cookie");
        props.put("micronaut.security.token.cookie.cookie-name", "tg_session");
        props.put("micronaut.security.redirect.enabled", "false");
        props.put("micronaut.security.reject-not-found", "false");
        return props;
    }

    @Override
    public Map<String, String> extraProperties() {
        Map<String, String> props = new HashMap<>(portalSettings());
        props.put("tollgate.tenant-api.bcrypt-cost", "4");
        props.putAll(moreProperties());
        return props;
    }

    protected Map<String, String> moreProperties() {
        return Map.of();
    }

    protected Browser browser() {
        return new Browser(server.getURI());
    }
}
