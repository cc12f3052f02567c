package dev.tollgate.platform.simulator;

import java.util.concurrent.CountDownLatch;

/**
 * Runs the upstream simulators as their own process (benchmarks):
 * {@code simulator --port N --latency-ms N --jitter-ms N --chunk-delay-ms N --threads N --bind ADDRESS}.
 * Runs until the process is stopped.
 */
public final class SimulatorMain {

    private SimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        SimulatorSettings settings;
        try {
            settings = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("simulator: " + e.getMessage());
            System.err.println("usage: simulator [--port N] [--latency-ms N] [--jitter-ms N] [--chunk-delay-ms N]"
                + " [--threads N] [--bind ADDRESS]");
            System.exit(2);
            return;
        }
        UpstreamSimulator simulator = UpstreamSimulator.start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }, "simulator-shutdown"));
        System.out.println("Upstream simulator on " + simulator.baseUrl()
            + " (OpenAI /openai/v1, Azure /azure/openai, Anthropic /anthropic/v1, Gemini /gemini/v1beta)");
        stopped.await();
    }

    /** Parses the command line; defaults are those of {@link SimulatorSettings#defaults()} with port 8099. */
    static SimulatorSettings parse(String[] args) {
        SimulatorSettings settings = SimulatorSettings.defaults().withPort(8099);
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + flag);
            }
            String value = args[++i];
            settings = switch (flag) {
                case "--port" -> settings.withPort(number(flag, value));
                case "--latency-ms" -> settings.withLatency(number(flag, value), settings.jitterMs());
                case "--jitter-ms" -> settings.withLatency(settings.latencyMs(), number(flag, value));
                case "--chunk-delay-ms" -> settings.withChunkDelayMs(number(flag, value));
                case "--threads" -> settings.withThreads(number(flag, value));
                case "--bind" -> settings.withBindAddress(value);
                default -> throw new IllegalArgumentException("unknown option " + flag);
            };
        }
        return settings;
    }

    private static int number(String flag, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number, got '" + value + "'");
        }
    }
}
