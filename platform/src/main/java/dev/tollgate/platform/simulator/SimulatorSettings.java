package dev.tollgate.platform.simulator;

import java.util.Objects;

/**
 * How an {@link UpstreamSimulator} is started.
 *
 * @param port         TCP port to listen on; 0 picks a free port
 * @param bindAddress  address to bind, loopback ({@code 127.0.0.1}) by default
 * @param latencyMs    fixed delay before the first byte of every provider answer
 * @param jitterMs     extra random delay in {@code [0, jitterMs]} added to {@code latencyMs}
 * @param chunkDelayMs delay between two events of a streamed answer
 * @param threads      size of the worker pool; a streamed answer holds a worker while it is sent
 */
public record SimulatorSettings(int port,
                                String bindAddress,
                                long latencyMs,
                                long jitterMs,
                                long chunkDelayMs,
                                int threads) {

    public static final String LOOPBACK = "127.0.0.1";
    public static final int DEFAULT_THREADS = 256;

    public SimulatorSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
        if (latencyMs < 0 || jitterMs < 0 || chunkDelayMs < 0) {
            throw new IllegalArgumentException("delays cannot be negative");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
    }

    /** A free loopback port, no added latency, {@value #DEFAULT_THREADS} workers. */
    public static SimulatorSettings defaults() {
        return new SimulatorSettings(0, LOOPBACK, 0, 0, 0, DEFAULT_THREADS);
    }

    public SimulatorSettings withPort(int newPort) {
        return new SimulatorSettings(newPort, bindAddress, latencyMs, jitterMs, chunkDelayMs, threads);
    }

    public SimulatorSettings withBindAddress(String address) {
        return new SimulatorSettings(port, address, latencyMs, jitterMs, chunkDelayMs, threads);
    }

    public SimulatorSettings withLatency(long fixedMs, long jitter) {
        return new SimulatorSettings(port, bindAddress, fixedMs, jitter, chunkDelayMs, threads);
    }

    public SimulatorSettings withChunkDelayMs(long delayMs) {
        return new SimulatorSettings(port, bindAddress, latencyMs, jitterMs, delayMs, threads);
    }

    public SimulatorSettings withThreads(int count) {
        return new SimulatorSettings(port, bindAddress, latencyMs, jitterMs, chunkDelayMs, count);
    }

    Timing timing() {
        return new Timing(latencyMs, jitterMs, chunkDelayMs);
    }
}
