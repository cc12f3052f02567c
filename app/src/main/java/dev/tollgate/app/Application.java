package dev.tollgate.app;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;

import dev.tollgate.platform.simulator.SimulatorMain;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts Tollgate. {@code java -jar tollgate.jar} runs the product (embedded unless
 * {@code DATASOURCES_DEFAULT_URL} and {@code REDIS_URI} are set);
 * {@code java -jar tollgate.jar simulator [--port N …]} runs only the upstream provider
 * simulators, for benchmarks.
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("simulator")) {
            SimulatorMain.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        start(System.getenv(), args);
    }

    /** Starts the product and returns its running context (used by tests of the assembly). */
    public static ApplicationContext start(Map<String, String> env, String... args) {
        return start(env, Map.of(), args);
    }

    /**
     * Starts the product with {@code env} deciding the mode and {@code overrides} added to (and
     * winning over) the bootstrap properties. The returned context holds the {@link Bootstrap};
     * close it after the context to stop embedded services.
     */
    public static ApplicationContext start(Map<String, String> env, Map<String, Object> overrides, String... args) {
        Bootstrap bootstrap = Bootstrap.start(env);
        Runtime.getRuntime().addShutdownHook(new Thread(bootstrap::close, "tollgate-embedded-stop"));
        Map<String, Object> properties = new HashMap<>(bootstrap.properties());
        properties.putAll(overrides);
        return Micronaut.build(args)
                .mainClass(Application.class)
                .banner(false)
                .properties(properties)
                .singletons(bootstrap)
                .start();
    }
}
