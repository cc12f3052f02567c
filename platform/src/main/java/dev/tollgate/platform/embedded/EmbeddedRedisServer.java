package dev.tollgate.platform.embedded;

import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An embedded Redis (the binary packaged by codemonstur's embedded-redis) on 127.0.0.1. With a
 * data directory it persists through an append-only file, so limits and cached state survive a
 * restart; without one it keeps nothing on disk.
 */
public final class EmbeddedRedisServer implements AutoCloseable {

    private final RedisServer server;
    private final int port;

    private EmbeddedRedisServer(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * @param dataDir where to keep the append-only file, or null for no persistence
     * @param port    the port, or 0 for any free port
     */
    public static EmbeddedRedisServer start(Path dataDir, int port) {
        int chosen = port > 0 ? port : Ports.free();
        try {
            var builder = RedisServer.newRedisServer()
                    .port(chosen)
                    .bind("127.0.0.1")
                    .setting("protected-mode yes")
                    .onShutdownForceStop(true);
            if (dataDir != null) {
                Files.createDirectories(dataDir);
                builder.setting("dir " + dataDir.toAbsolutePath())
                        .setting("appendonly yes")
                        .setting("save \"\"");
            } else {
                builder.setting("save \"\"").setting("appendonly no");
            }
            RedisServer server = builder.build();
            retryingBusyBinary(server::start);
            return new EmbeddedRedisServer(server, chosen);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded Redis did not start on port " + chosen, e);
        }
    }

    /** A step that starts a process. */
    interface Launch {
        void run() throws IOException;
    }

    private static final int LAUNCH_ATTEMPTS = 10;

    /**
     * Runs {@code launch}, again while the executable is "busy" (ETXTBSY): the Redis binary is
     * extracted to a fresh file on every start, and a process forked meanwhile by another thread
     * (embedded PostgreSQL starts side by side) inherits the open file until it execs, for a few
     * milliseconds; executing the binary in that window fails. Seen once in a benchmark's start-up.
     */
    static void retryingBusyBinary(Launch launch) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                launch.run();
                return;
            } catch (IOException e) {
                if (attempt == LAUNCH_ATTEMPTS || !busyBinary(e)) {
                    throw e;
                }
                try {
                    Thread.sleep(20L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static boolean busyBinary(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("error=26,")) {
                return true;
            }
        }
        return false;
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (IOException e) {
            // the process is gone either way
        }
    }
}
