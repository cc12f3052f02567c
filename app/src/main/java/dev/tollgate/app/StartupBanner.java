package dev.tollgate.app;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;

import java.io.PrintStream;

/**
 * Prints where everything is once the HTTP server listens: portal, API, health and metrics
 * URLs, the mode, and the operator admin token's origin. The token itself is printed only when
 * it lives in {@code $TOLLGATE_HOME} (a local installation); one given by the environment is
 * the operator's and is never echoed.
 */
@Singleton
public class StartupBanner implements ApplicationEventListener<ServerStartupEvent> {

    private final Bootstrap bootstrap;
    private final int simulatorPort;
    private final PrintStream out;

    public StartupBanner(@Nullable Bootstrap bootstrap,
                         @Value("${tollgate.simulator.port:0}") int simulatorPort) {
        this.bootstrap = bootstrap;
        this.simulatorPort = simulatorPort;
        this.out = System.out;
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        String base = "http://localhost:" + event.getSource().getPort();
        StringBuilder b = new StringBuilder("\n");
        b.append("  Tollgate is up  (").append(bootstrap == null ? "test" : bootstrap.mode().name().toLowerCase())
                .append(" mode)\n");
        b.append("  Portal        ").append(base).append("/\n");
        b.append("  OpenAI API    ").append(base).append("/v1   (Authorization: Bearer tg_...)\n");
        b.append("  Anthropic API ").append(base).append("/v1/messages\n");
        b.append("  Tenant API    ").append(base).append("/api/v1\n");
        b.append("  Admin API     ").append(base).append("/admin/v1\n");
        b.append("  API docs      ").append(base).append("/swagger-ui/   (OpenAPI: /swagger/tollgate.yml)\n");
        b.append("  Health        ").append(base).append("/health\n");
        b.append("  Metrics       ").append(base).append("/prometheus\n");
        if (simulatorPort > 0) {
            b.append("  Simulators    http://127.0.0.1:").append(simulatorPort).append("   (OpenAI, Anthropic, Gemini)\n");
        }
        if (bootstrap != null) {
            b.append("  Data          ").append(bootstrap.home().dir()).append('\n');
            Bootstrap.Secret admin = bootstrap.adminToken();
            if (admin.source().equals("TOLLGATE_ADMIN_TOKEN")) {
                b.append("  Admin token   from TOLLGATE_ADMIN_TOKEN\n");
            } else {
                b.append("  Admin token   ").append(admin.value()).append("   (saved in ").append(admin.source()).append(")\n");
            }
        }
        out.println(b);
    }
}
