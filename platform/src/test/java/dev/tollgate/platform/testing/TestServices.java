package dev.tollgate.platform.testing;

import dev.tollgate.platform.embedded.EmbeddedPostgresServer;
import dev.tollgate.platform.embedded.EmbeddedRedisServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Real PostgreSQL and Redis for tests, in this order of preference:
 * <ol>
 *   <li>{@code TEST_JDBC_URL} (+ {@code TEST_JDBC_USER}, {@code TEST_JDBC_PASSWORD}) and
 *       {@code TEST_REDIS_URI}, as CI and developer machines provide;</li>
 *   <li>Testcontainers, when a Docker engine answers;</li>
 *   <li>the embedded PostgreSQL and Redis of the zero-configuration mode.</li>
 * </ol>
 * Each call of {@link #isolatedEnvironment(String)} creates a fresh database and a fresh Redis
 * key prefix, so test classes never see each other's state and run in any order (also
 * concurrently, from several checkouts against one server).
 */
public final class TestServices {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** The operator admin token of every test environment. */
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789";
    private static final List<String> CREATED_DATABASES = new CopyOnWriteArrayList<>();
    private static Backend backend;

    private TestServices() {
    }

    /** Micronaut properties for one isolated test environment. */
    public static synchronized Map<String, String> isolatedEnvironment(String owner) {
        Backend b = backend();
        String database = databasePrefix(owner) + "_" + HexFormat.of().formatHex(randomBytes(4));
        createDatabase(b, database);
        Map<String, String> props = new HashMap<>();
        props.put("datasources.default.url", b.jdbcUrl(database));
        props.put("datasources.default.username", b.user());
        props.put("datasources.default.password", b.password());
        props.put("datasources.default.driver-class-name", "org.postgresql.Driver");
        props.put("datasources.default.dialect", "POSTGRES");
        props.put("datasources.default.maximum-pool-size", "8");
        props.put("datasources.default.minimum-idle", "1");
        props.put("flyway.datasources.default.enabled", "true");
        props.put("flyway.datasources.default.locations", "classpath:db/migration");
        props.put("redis.uri", b.redisUri());
        props.put("tollgate.redis.prefix", "test:" + database + ":");
        props.put("tollgate.master-key", Base64.getEncoder().encodeToString(randomBytes(32)));
        props.put("micronaut.security.token.jwt.signatures.secret.generator.secret",
                HexFormat.of().formatHex(randomBytes(32)));
        props.put("tollgate.admin-token", ADMIN_TOKEN);
        props.put("micronaut.test.resources.enabled", "false");
        return props;
    }

    /** {@code tg_} and the first 20 letters and digits of the owner's name, lower-case. */
    static String databasePrefix(String owner) {
        String name = owner.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return "tg_" + name.substring(0, Math.min(20, name.length()));
    }

    /** A JDBC connection to a database of the test backend (for assertions on raw rows). */
    public static Connection connect(String jdbcUrl) throws SQLException {
        Backend b = backend();
        return DriverManager.getConnection(jdbcUrl, b.user(), b.password());
    }

    /** The Redis URI of the test backend. */
    public static String redisUri() {
        return backend().redisUri();
    }

    private static synchronized Backend backend() {
        if (backend == null) {
            backend = startBackend();
            Runtime.getRuntime().addShutdownHook(new Thread(TestServices::dropDatabases, "drop-test-databases"));
        }
        return backend;
    }

    private static Backend startBackend() {
        String jdbc = System.getenv("TEST_JDBC_URL");
        String redis = System.getenv("TEST_REDIS_URI");
        if (jdbc != null && !jdbc.isBlank() && redis != null && !redis.isBlank()) {
            return new Backend(jdbc, env("TEST_JDBC_USER", "postgres"), env("TEST_JDBC_PASSWORD", ""), redis);
        }
        if (ContainerBackend.dockerAvailable()) {
            return ContainerBackend.start();
        }
        try {
            Path dir = Files.createTempDirectory("tollgate-test-services");
            EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir.resolve("pg"),
                    Path.of(System.getProperty("java.io.tmpdir"), "tollgate-pg-binaries"), 0);
            EmbeddedRedisServer r = EmbeddedRedisServer.start(null, 0);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                r.close();
                pg.close();
            }, "stop-embedded-test-services"));
            return new Backend(pg.jdbcUrl("postgres"), "postgres", "postgres", r.uri());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("no PostgreSQL/Redis for tests", e);
        }
    }

    private static void createDatabase(Backend b, String database) {
        try (Connection c = DriverManager.getConnection(b.baseJdbcUrl(), b.user(), b.password());
             Statement s = c.createStatement()) {
            s.execute("create database " + database);
            CREATED_DATABASES.add(database);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + database + " at " + b.baseJdbcUrl(), e);
        }
    }

    private static void dropDatabases() {
        if (backend == null || CREATED_DATABASES.isEmpty() || "true".equals(System.getenv("TEST_KEEP_DATABASES"))) {
            return;
        }
        try (Connection c = DriverManager.getConnection(backend.baseJdbcUrl(), backend.user(), backend.password());
             Statement s = c.createStatement()) {
            for (String db : CREATED_DATABASES) {
                try {
                    s.execute("drop database if exists " + db + " with (force)");
                } catch (SQLException ignored) {
                    // best effort: a database still in use is left for the next run's server
                }
            }
        } catch (SQLException ignored) {
            // the server is gone: nothing to clean
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null ? fallback : v;
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** Where tests find PostgreSQL (a base database to create others from) and Redis. */
    record Backend(String baseJdbcUrl, String user, String password, String redisUri) {

        String jdbcUrl(String database) {
            int q = baseJdbcUrl.indexOf('?');
            String base = q < 0 ? baseJdbcUrl : baseJdbcUrl.substring(0, q);
            String params = q < 0 ? "" : baseJdbcUrl.substring(q);
            return base.substring(0, base.lastIndexOf('/') + 1) + database + params;
        }
    }
}
