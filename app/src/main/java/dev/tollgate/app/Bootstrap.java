package dev.tollgate.app;

import dev.tollgate.platform.config.TollgateHome;
import dev.tollgate.platform.embedded.EmbeddedPostgresServer;
import dev.tollgate.platform.embedded.EmbeddedRedisServer;
import dev.tollgate.platform.embedded.Ports;
import dev.tollgate.platform.simulator.SimulatorSettings;
import dev.tollgate.platform.simulator.UpstreamSimulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Everything decided before Micronaut starts: the runtime mode, the embedded services (when
 * embedded), and the secrets that must exist before any bean is built (admin token, master key,
 * JWT secret) — each from its environment variable, else generated once into
 * {@code $TOLLGATE_HOME}. Its {@link #properties()} are handed to Micronaut; configuration from
 * the environment still overrides nothing it did not set.
 */
public final class Bootstrap implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);
    private static final String DATABASE = "tollgate";
    private static final int DEFAULT_SIMULATOR_PORT = 8099;

    private final RuntimeMode mode;
    private final TollgateHome home;
    private final Map<String, Object> properties;
    private final Secret adminToken;
    private final List<AutoCloseable> embedded;
    private final CompletableFuture<EmbeddedPostgresServer> postgres;

    /** A secret's value and whether it came from the environment (else from a file in the home). */
    public record Secret(String value, String source) {
        @Override
        public String toString() {
            return "Secret[" + source + "]";
        }
    }

    private Bootstrap(RuntimeMode mode, TollgateHome home, Map<String, Object> properties, Secret adminToken,
                      List<AutoCloseable> embedded, CompletableFuture<EmbeddedPostgresServer> postgres) {
        this.mode = mode;
        this.postgres = postgres;
        this.home = home;
        this.properties = properties;
        this.adminToken = adminToken;
        this.embedded = embedded;
    }

    /** Decides the mode from {@code env} and starts what the mode needs. */
    public static Bootstrap start(Map<String, String> env) {
        TollgateHome home = env.containsKey("TOLLGATE_HOME") && !env.get("TOLLGATE_HOME").isBlank()
                ? new TollgateHome(Path.of(env.get("TOLLGATE_HOME")).toAbsolutePath().normalize())
                : TollgateHome.fromEnvironment();
        boolean external = present(env, "DATASOURCES_DEFAULT_URL") && present(env, "REDIS_URI");
        Map<String, Object> props = new HashMap<>();
        Secret admin = secret(env, home, "TOLLGATE_ADMIN_TOKEN", "admin-token", 24);
        Secret master = secret(env, home, "TOLLGATE_MASTER_KEY", "master-key", 32);
        Secret jwt = secret(env, home, "TOLLGATE_JWT_SECRET", "jwt-secret", 48);
        props.put("tollgate.admin-token", admin.value());
        props.put("tollgate.master-key", master.value());
        props.put("micronaut.security.token.jwt.signatures.secret.generator.secret", jwt.value());
        props.put("tollgate.home", home.dir().toString());
        props.put("tollgate.meter.journal-dir", home.resolve("usage-journal").toString());

        List<AutoCloseable> started = new ArrayList<>();
        boolean simulators = env(env, "TOLLGATE_SIMULATOR_ENABLED").map(Boolean::parseBoolean).orElse(!external);
        // the embedded services start side by side: PostgreSQL's first start (binary extraction,
        // initdb) dominates the time to ready, and Redis and the simulators need not wait for it
        // PostgreSQL's port is fixed now so the Micronaut context can be built while it starts;
        // the context waits for it only where the data source is configured (DatabaseGate)
        int pgPort = external ? 0 : Ports.free();
        CompletableFuture<EmbeddedPostgresServer> pg = external ? null : timed("embedded PostgreSQL", () -> {
            // stopped by close(), after the context's clients, like Redis below
            EmbeddedPostgresServer p = EmbeddedPostgresServer.start(home.resolve("postgres"), home.resolve("pg-binaries"), pgPort, false);
            try {
                createDatabase(p);
            } catch (RuntimeException e) {
                p.close();
                throw e;
            }
            return p;
        });
        CompletableFuture<EmbeddedRedisServer> redis = external ? null : timed("embedded Redis", () -> {
            stopOrphanRedis(home.resolve("redis"));
            // stopped by close(), after the context's Redis clients (not by a JVM hook of its own, which
            // would run beside the context's shutdown and leave those clients reconnecting)
            EmbeddedRedisServer r = EmbeddedRedisServer.start(home.resolve("redis"), 0, false);
            rememberRedisPort(home.resolve("redis"), r.port());
            return r;
        });
        CompletableFuture<UpstreamSimulator> simulator = !simulators ? null : timed("upstream simulators", () -> {
            int port = env(env, "TOLLGATE_SIMULATOR_PORT").map(Integer::parseInt).orElse(DEFAULT_SIMULATOR_PORT);
            return UpstreamSimulator.start(SimulatorSettings.defaults().withPort(port));
        });
        try {
            if (simulator != null) {
                UpstreamSimulator sim = simulator.join();
                started.add(sim);
                props.put("tollgate.simulator.port", sim.port());
                props.put("tollgate.simulator.url", sim.baseUrl());
                routeProvidersToSimulator(env, props, sim.baseUrl());
            }
            if (external) {
                props.put("tollgate.mode", RuntimeMode.EXTERNAL.name().toLowerCase());
                return new Bootstrap(RuntimeMode.EXTERNAL, home, props, admin, started, null);
            }
            EmbeddedRedisServer r = redis.join();
            started.add(r);
            props.put("tollgate.mode", RuntimeMode.EMBEDDED.name().toLowerCase());
            props.put("datasources.default.url", "jdbc:postgresql://127.0.0.1:" + pgPort + "/" + DATABASE);
            props.put("datasources.default.username", "postgres");
            props.put("datasources.default.password", "postgres");
            props.put("redis.uri", r.uri());
            return new Bootstrap(RuntimeMode.EMBEDDED, home, props, admin, started, pg);
        } catch (RuntimeException e) {
            // whatever did start must not outlive a failed start
            for (CompletableFuture<? extends AutoCloseable> f : Arrays.asList(simulator, redis, pg)) {
                if (f != null) {
                    f.thenAccept(Bootstrap::closeQuietly);
                }
            }
            throw e instanceof CompletionException && e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private static <T> CompletableFuture<T> timed(String what, Supplier<T> start) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            long t0 = System.nanoTime();
            try {
                f.complete(start.get());
                LOG.info("{} ready in {} ms", what, (System.nanoTime() - t0) / 1_000_000);
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "tollgate-start-" + what.replace(' ', '-'));
        t.start();
        return f;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("embedded service did not stop cleanly: {}", e.getMessage());
        }
    }

    public RuntimeMode mode() {
        return mode;
    }

    public TollgateHome home() {
        return home;
    }

    public Secret adminToken() {
        return adminToken;
    }

    /** Properties for the Micronaut context. */
    public Map<String, Object> properties() {
        return Map.copyOf(properties);
    }

    /**
     * Waits until the embedded PostgreSQL (still starting when {@link #start} returned) accepts
     * connections, with Tollgate's database created; returns at once in external mode.
     */
    public void awaitDatabase() {
        if (postgres != null) {
            try {
                postgres.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
    }

    /** Stops what was started here: simulators, then Redis, PostgreSQL last. */
    @Override
    public void close() {
        embedded.forEach(Bootstrap::closeQuietly);
        if (postgres != null) {
            postgres.thenAccept(Bootstrap::closeQuietly).exceptionally(e -> null).join();
        }
    }

    /**
     * Points every provider the operator did not configure at the simulators, so that each model
     * of OpenAI, Anthropic and Gemini in the price table is routable with no provider key.
     */
    private static void routeProvidersToSimulator(Map<String, String> env, Map<String, Object> props, String baseUrl) {
        Map<String, String> paths = Map.of("openai", "/openai/v1", "anthropic", "/anthropic/v1", "gemini", "/gemini/v1beta");
        paths.forEach((provider, path) -> {
            String variable = "TOLLGATE_PROVIDERS_" + provider.toUpperCase();
            if (!present(env, variable + "_BASE_URL") && !present(env, variable + "_API_KEY")) {
                props.put("tollgate.providers." + provider + ".base-url", baseUrl + path);
                props.put("tollgate.providers." + provider + ".api-key", "simulated-" + provider + "-key");
            }
        });
    }

    private static Secret secret(Map<String, String> env, TollgateHome home, String variable, String file, int bytes) {
        if (present(env, variable)) {
            return new Secret(env.get(variable).trim(), variable);
        }
        return new Secret(home.secret(file, bytes), home.resolve(file).toString());
    }

    private static boolean present(Map<String, String> env, String name) {
        return env.get(name) != null && !env.get(name).isBlank();
    }

    private static void createDatabase(EmbeddedPostgresServer pg) {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), "postgres", "postgres");
             ResultSet rs = c.createStatement().executeQuery(
                     "select 1 from pg_database where datname = '" + DATABASE + "'")) {
            if (!rs.next()) {
                c.createStatement().execute("create database " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the embedded database", e);
        }
    }

    /**
     * A Tollgate killed with SIGKILL leaves its embedded Redis running on the port it recorded;
     * two servers appending to one file would corrupt it, so the orphan is shut down first
     * (SHUTDOWN flushes the append-only file).
     */
    private static void stopOrphanRedis(Path dir) {
        Path portFile = dir.resolve("port");
        if (!Files.exists(portFile)) {
            return;
        }
        try {
            int port = Integer.parseInt(Files.readString(portFile).trim());
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 300);
                OutputStream out = s.getOutputStream();
                out.write("*1\r\n$8\r\nSHUTDOWN\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                s.getInputStream().read();
            }
            LOG.info("Stopped an embedded Redis left running by an earlier Tollgate on port {}", port);
            Thread.sleep(200);
        } catch (IOException | NumberFormatException e) {
            // nothing listens there any more: no orphan
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void rememberRedisPort(Path dir, int port) {
        try {
            Files.writeString(dir.resolve("port"), Integer.toString(port));
        } catch (IOException e) {
            LOG.warn("cannot record the embedded Redis port: {}", e.getMessage());
        }
    }

    static Optional<String> env(Map<String, String> env, String name) {
        return present(env, name) ? Optional.of(env.get(name)) : Optional.empty();
    }
}
