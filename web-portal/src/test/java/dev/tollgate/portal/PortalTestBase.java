package dev.tollgate.portal;

import dev.tollgate.platform.simulator.UpstreamSimulator;
import dev.tollgate.platform.testing.SimulatedProviders;
import dev.tollgate.platform.testing.RealServices;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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

    /**
     * Settings of a test that calls the gateway: the providers served by
     * {@code simulator}, the meter's journal in a fresh directory flushed every 50 ms and the
     * billing worker every second, so that a request shows up in the portal within a second or two.
     */
    protected static Map<String, String> gatewaySettings(UpstreamSimulator simulator) {
        Map<String, String> p = new HashMap<>(SimulatedProviders.properties(simulator));
        try {
            p.put("tollgate.meter.journal-dir", Files.createTempDirectory("tollgate-journal").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        p.put("tollgate.meter.segment-every", "50ms");
        p.put("tollgate.billing.worker-interval", "1s");
        return p;
    }

    protected Browser browser() {
        return new Browser(server.getURI());
    }
}
