package dev.tollgate.app;

import dev.tollgate.platform.testing.TestServices;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Starting and stopping the whole application in a test, on real PostgreSQL and Redis. */
final class AppTestSupport {

    private AppTestSupport() {
    }

    /**
     * The application with its home in {@code home}, on a fresh database and Redis prefix named after {@code name},
     * on a free port, with {@code overrides} on top. Stop it with {@link #stop}.
     */
    static ApplicationContext start(String name, Path home, Map<String, ?> overrides) {
        Map<String, String> services = TestServices.isolatedEnvironment(name);
        Map<String, String> env = Map.of("TOLLGATE_HOME", home.toString(),
                "DATASOURCES_DEFAULT_URL", services.get("datasources.default.url"), "REDIS_URI", services.get("redis.uri"));
        Map<String, Object> properties = new HashMap<>(services);
        properties.put("micronaut.server.port", -1);
        properties.putAll(overrides);
        return Application.start(env, properties);
    }

    static String baseUrl(ApplicationContext ctx) {
        return "http://127.0.0.1:" + ctx.getBean(EmbeddedServer.class).getPort();
    }

    /** Closes the application, then what its bootstrap started. */
    static void stop(ApplicationContext ctx) {
        Bootstrap bootstrap = ctx.getBean(Bootstrap.class);
        ctx.close();
        bootstrap.close();
    }
}
