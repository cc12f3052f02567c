package dev.tollgate.app;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;

import dev.tollgate.platform.simulator.SimulatorMain;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts Tollgate. {@code java -jar tollgate.jar} runs the product (embedded unless
 * {@code DATASOURCES_DEFAULT_URL} and {@code REDIS_URI} are set);
 * {@code java -jar tollgate.jar simulator [--port N …]} runs only the upstream provider
 * simulators, for benchmarks.
 */
public final class Application {

    /** Longest the embedded services wait, on the way out, for the context to stop. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

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
        AtomicReference<ApplicationContext> started = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            awaitStopped(started.get());
            bootstrap.close();
        }, "tollgate-embedded-stop"));
        Map<String, Object> properties = new HashMap<>(bootstrap.properties());
        properties.putAll(overrides);
        ApplicationContext context = Micronaut.build(args)
                .mainClass(Application.class)
                .banner(false)
                .properties(properties)
                .singletons(bootstrap)
                .start();
        started.set(context);
        return context;
    }

    /**
     * Waits (at most {@link #STOP_WAIT}) for Micronaut's own shutdown hook to stop the context, so
     * that the embedded PostgreSQL and Redis outlive every client of theirs: stopped earlier, they
     * leave the pools and Redis connections failing and reconnecting while the beans shut down.
     * Stopping the context from this hook instead deadlocks with Micronaut's (each holds the lock
     * the other waits for: the server's and the context's).
     */
    private static void awaitStopped(ApplicationContext context) {
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        while (context != null && context.isRunning() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
