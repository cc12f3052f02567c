package dev.tollgate.gateway;

import dev.tollgate.platform.key.ApiKeyHasher;
import dev.tollgate.platform.key.ApiKeyToken;
import dev.tollgate.platform.simulator.SimulatorSettings;
import dev.tollgate.platform.simulator.UpstreamSimulator;
import dev.tollgate.platform.testing.SimulatedProviders;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Shared test setup: one upstream simulator per JVM, provider properties and API keys in the database. */
public final class GatewayTestSupport {

    private static UpstreamSimulator simulator;

    private GatewayTestSupport() {
    }

    public static synchronized UpstreamSimulator simulator() {
        if (simulator == null) {
            simulator = UpstreamSimulator.start(SimulatorSettings.defaults());
            Runtime.getRuntime().addShutdownHook(new Thread(simulator::close));
        }
        return simulator;
    }

    /** Providers pointed at the simulator, and a fresh journal directory. */
    public static Map<String, String> gatewayProperties() {
        Map<String, String> p = new HashMap<>(SimulatedProviders.properties(simulator()));
        try {
            p.put("tollgate.meter.journal-dir", Files.createTempDirectory("tollgate-journal").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        p.put("tollgate.meter.segment-every", "50ms");
        return p;
    }

    /** {@link #gatewayProperties()} with the given name/value pairs added or replaced. */
    public static Map<String, String> gatewayProperties(String... namesAndValues) {
        Map<String, String> p = gatewayProperties();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            p.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return p;
    }

    /**
     * Another gateway on the same database, Redis and prefix ({@code properties} being the first one's), with a
     * journal of its own, on a free port, the given name/value pairs added or replaced. The caller closes it.
     */
    public static EmbeddedServer startReplica(Map<String, String> properties, String... namesAndValues) {
        Map<String, Object> props = new HashMap<>(properties);
        try {
            props.put("tollgate.meter.journal-dir", Files.createTempDirectory("tollgate-journal-replica").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        props.put("micronaut.server.port", "-1");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            props.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return ApplicationContext.run(EmbeddedServer.class, props, "test");
    }

    /** A key, project and tenant created directly in the database. */
    public record TestKey(String value, UUID tenantId, UUID projectId, UUID keyId, String publicId) {
    }

    public static TestKey createKey(DataSource ds, ApiKeyHasher hasher, String tenantLimits, String projectLimits,
                                    String keyLimits, String scopes) throws Exception {
        UUID tenant = UUID.randomUUID();
        UUID project = UUID.randomUUID();
        UUID key = UUID.randomUUID();
        ApiKeyToken token = ApiKeyToken.generate();
        try (Connection c = raw(ds).getConnection()) {
            exec(c, "insert into tenant (id, name, limits) values (?, 'Acme', ?::jsonb)", tenant, tenantLimits);
            exec(c, "insert into project (id, tenant_id, name, limits) values (?, ?, 'prod', ?::jsonb)", project, tenant, projectLimits);
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into api_key (id, tenant_id, project_id, public_id, name, secret_hash, scopes, limits)
                    values (?, ?, ?, ?, 'test', ?, ?::jsonb, ?::jsonb)""")) {
                ps.setObject(1, key);
                ps.setObject(2, tenant);
                ps.setObject(3, project);
                ps.setString(4, token.publicId());
                ps.setBytes(5, hasher.hash(token.secret()));
                ps.setString(6, scopes);
                ps.setString(7, keyLimits);
                ps.executeUpdate();
            }
        }
        return new TestKey(token.value(), tenant, project, key, token.publicId());
    }

    public static TestKey createKey(DataSource ds, ApiKeyHasher hasher) throws Exception {
        return createKey(ds, hasher, "{}", "{}", "{}", "{}");
    }

    /** The pool behind Micronaut Data's contextual data source (tests use plain JDBC). */
    public static DataSource raw(DataSource ds) {
        return io.micronaut.data.connection.jdbc.advice.DelegatingDataSource.unwrapDataSource(ds);
    }

    public static void exec(Connection c, String sql, Object... args) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }
}
