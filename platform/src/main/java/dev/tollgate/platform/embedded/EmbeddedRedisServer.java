package dev.tollgate.platform.embedded;

import redis.embedded.core.ExecutableProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An embedded Redis on 127.0.0.1: the binary packaged by codemonstur's embedded-redis, run as a
 * process of ours. With a data directory it persists through an append-only file, so limits and
 * cached state survive a restart; without one it keeps nothing on disk.
 * <p>
 * The library's own server class is not used because it always stops Redis from a JVM shutdown
 * hook of its own, which runs beside the application's shutdown: Redis was gone while the
 * application's Redis clients were still closing, and they logged failed reconnects on every stop.
 */
public final class EmbeddedRedisServer implements AutoCloseable {

    private static final long READY_WAIT_MS = 15_000;

    private final Process process;
    private final int port;

    private EmbeddedRedisServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * A Redis that a JVM shutdown hook stops when the JVM exits.
     *
     * @param dataDir where to keep the append-only file, or null for no persistence
     * @param port    the port, or 0 for any free port
     */
    public static EmbeddedRedisServer start(Path dataDir, int port) {
        return start(dataDir, port, true);
    }

    /**
     * @param stopWithJvm whether a JVM shutdown hook stops it; without one its owner must
     *                    {@link #close()} it, and can do so after the clients that use it
     */
    public static EmbeddedRedisServer start(Path dataDir, int port, boolean stopWithJvm) {
        int chosen = port > 0 ? port : Ports.free();
        try {
            List<String> command = new ArrayList<>(List.of(ExecutableProvider.newJarResourceProvider().get().getAbsolutePath(),
                    "--port", Integer.toString(chosen), "--bind", "127.0.0.1", "--protected-mode", "yes", "--save", ""));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (dataDir != null) {
                Files.createDirectories(dataDir);
                command.addAll(List.of("--dir", dataDir.toAbsolutePath().toString(), "--appendonly", "yes"));
                builder.command(command).redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("redis.log").toFile()));
            } else {
                command.addAll(List.of("--appendonly", "no"));
                builder.command(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            }
            Process[] started = new Process[1];
            retryingBusyBinary(() -> started[0] = builder.start());
            EmbeddedRedisServer server = new EmbeddedRedisServer(started[0], chosen);
            try {
                server.awaitReady();
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
            if (stopWithJvm) {
                Runtime.getRuntime().addShutdownHook(new Thread(server::close, "tollgate-embedded-redis-stop"));
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("embedded Redis did not start on port " + chosen, e);
        }
    }

    /** Waits until Redis answers PING; fails when the process exits first or after {@link #READY_WAIT_MS}. */
    private void awaitReady() throws IOException {
        long deadline = System.currentTimeMillis() + READY_WAIT_MS;
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited with status " + process.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                socket.setSoTimeout(1_000);
                OutputStream out = socket.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                if (new String(in.readNBytes(7), StandardCharsets.US_ASCII).equals("+PONG\r\n")) {
                    return;
                }
            } catch (IOException notYet) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException("redis-server did not answer on port " + port + " within " + READY_WAIT_MS + " ms", notYet);
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for redis-server", e);
            }
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

    /** Stops Redis (SIGTERM: it finishes its append-only file) and waits for it, 10 s at most. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
