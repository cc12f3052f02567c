package dev.tollgate.portal;

import dev.tollgate.platform.simulator.UpstreamSimulator;
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
     * Settings of a test that calls the gateway: OpenAI, Anthropic and Gemini served by
     * {@code simulator}, the meter's journal in a fresh directory flushed every 50 ms and the
     * billing worker every second, so that a request shows up in the portal within a second or two.
     */
    protected static Map<String, String> gatewaySettings(UpstreamSimulator simulator) {
        String base = simulator.baseUrl();
        Map<String, String> p = new HashMap<>();
        p.put("tollgate.providers.openai.base-url", base + "/openai/v1");
        p.put("tollgate.providers.openai.api-key", "sk-simulated");
        p.put("tollgate.providers.anthropic.base-url", base + "/anthropic/v1");
        p.put("tollgate.providers.anthropic.api-key", "sk-ant-simulated");
        p.put("tollgate.providers.gemini.base-url", base + "/gemini/v1beta");
        p.put("tollgate.providers.gemini.api-key", "gm-simulated");
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
