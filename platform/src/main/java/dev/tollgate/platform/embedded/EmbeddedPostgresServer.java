package dev.tollgate.platform.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An embedded PostgreSQL (zonky's packaged binaries, extracted once under {@code binariesDir})
 * whose data directory survives restarts. Listens on 127.0.0.1 only. Started by root (as on CI
 * machines), zonky runs it in an unprivileged user namespace, which PostgreSQL accepts.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts PostgreSQL with data under {@code dataDir}; a JVM shutdown hook stops it when the JVM exits.
     *
     * @param port the port on 127.0.0.1, or 0 for any free port
     */
    public static EmbeddedPostgresServer start(Path dataDir, Path binariesDir, int port) {
        return start(dataDir, binariesDir, port, true);
    }

    /**
     * @param stopWithJvm whether a JVM shutdown hook stops it; without one its owner must
     *                    {@link #close()} it, and can do so after the clients that use it
     */
    public static EmbeddedPostgresServer start(Path dataDir, Path binariesDir, int port, boolean stopWithJvm) {
        try {
            Files.createDirectories(binariesDir);
            stopOrphan(dataDir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(binariesDir.toFile())
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(stopWithJvm)
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200");
            if (port > 0) {
                builder.setPort(port);
            }
            return new EmbeddedPostgresServer(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start (data in " + dataDir + ")", e);
        }
    }

    /**
     * A process killed with SIGKILL leaves its PostgreSQL running on the data directory; it must
     * stop before a new server can own the directory. Its pid is the first line of postmaster.pid.
     */
    private static void stopOrphan(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (RuntimeException e) {
            return;
        }
        ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(orphan -> {
            LOG.info("Stopping an embedded PostgreSQL (pid {}) left running by an earlier process", pid);
            orphan.destroy();
            try {
                orphan.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                orphan.destroyForcibly();
            }
        });
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }
}
