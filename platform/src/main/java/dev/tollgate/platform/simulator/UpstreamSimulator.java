package dev.tollgate.platform.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.platform.http.ErrorBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Upstream provider simulators: one HTTP server on loopback speaking OpenAI's (and Azure
 * OpenAI's), Anthropic's and Gemini's wire formats, with deterministic answers, real token
 * counts, configurable latency, fault injection and a ledger of what was served.
 *
 * <pre>{@code
 * try (UpstreamSimulator sim = UpstreamSimulator.start(SimulatorSettings.defaults())) {
 *     String openAiBase = sim.baseUrl() + "/openai/v1";
 *     sim.addFault(Fault.error("openai", 429).times(1));
 *     ...
 *     ServedStats served = sim.served().stats("openai", "gpt-4o-mini");
 * }
 * }</pre>
 */
public final class UpstreamSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamSimulator.class);

    static {
        // Without TCP_NODELAY small SSE chunks wait for delayed ACKs (~40 ms each). The JDK server
        // reads this property once, when its configuration class is first loaded.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService workers;
    private final Simulation sim;
    private final List<ProviderHandler> providers;
    private final ControlHandler control;

    private UpstreamSimulator(HttpServer server, ExecutorService workers, Simulation sim) {
        this.server = server;
        this.workers = workers;
        this.sim = sim;
        UsageReports usage = new UsageReports(sim);
        this.providers = List.of(new OpenAiHandler(sim, usage), new AnthropicHandler(sim, usage), new GeminiHandler(sim));
        this.control = new ControlHandler(sim);
    }

    /** Starts a simulator; close it to stop the server and its workers. */
    public static UpstreamSimulator start(SimulatorSettings settings) {
        return start(settings, Clock.systemUTC());
    }

    /**
     * Starts a simulator whose ledger timestamps come from {@code clock}, so that tests can place
     * served usage on a chosen day of the usage-report APIs.
     */
    public static UpstreamSimulator start(SimulatorSettings settings, Clock clock) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(settings.bindAddress(), settings.port()), 1024);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + settings.bindAddress() + ":" + settings.port(), e);
        }
        AtomicInteger threadIds = new AtomicInteger();
        // Unbounded queue: the JDK server's dispatcher thread must never see a rejected task.
        ExecutorService workers = new ThreadPoolExecutor(settings.threads(), settings.threads(), 60, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, "simulator-" + threadIds.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        UpstreamSimulator simulator = new UpstreamSimulator(server, workers, new Simulation(settings.timing(), clock));
        server.createContext("/", simulator::dispatch);
        server.setExecutor(workers);
        server.start();
        Thread warmUp = new Thread(Tokenizer::warmUp, "simulator-tokenizer-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
        LOG.info("Upstream simulator listening on {}", simulator.baseUrl());
        return simulator;
    }

    /** The port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://host:port}, without a trailing slash. */
    public String baseUrl() {
        String host = server.getAddress().getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    /** What was served so far, per provider and model. */
    public Served served() {
        return sim.ledger.snapshot();
    }

    /** Forgets what was served (totals and usage-report history). */
    public void resetServed() {
        sim.ledger.reset();
    }

    /** Adds a fault; several may be active, the first that fires for a request wins. */
    public ActiveFault addFault(Fault fault) {
        return sim.faults.add(fault);
    }

    /** The active faults. */
    public List<ActiveFault> faults() {
        return sim.faults.list();
    }

    /** Removes every fault. */
    public void clearFaults() {
        sim.faults.clear();
    }

    /** The delays in effect. */
    public Timing timing() {
        return sim.timing();
    }

    /** Changes the delays of later requests. */
    public void timing(Timing timing) {
        sim.timing(timing);
    }

    /** Forgets every prompt-cache entry, so the next cacheable request writes again. */
    public void clearPromptCache() {
        sim.cache.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        HttpCall call = new HttpCall(exchange);
        ProviderHandler owner = null;
        boolean dropped = false;
        try {
            if (control.handle(call)) {
                return;
            }
            for (ProviderHandler provider : providers) {
                owner = provider;
                if (provider.handle(call)) {
                    return;
                }
            }
            owner = providerFor(call.path());
            if (owner != null) {
                owner.error(call, 404, "Unknown request URL: " + call.method() + " " + call.path() + ".", null);
            } else {
                call.json(404, ErrorBody.of("Unknown simulator path: " + call.method() + " " + call.path(),
                    "not_found_error", null, "not_found"));
            }
        } catch (HttpCall.Dropped e) {
            // Closing the exchange would end the chunked body cleanly; rethrowing makes the
            // server close the socket instead.
            dropped = true;
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("Simulator failed on {} {}", call.method(), call.path(), e);
            if (call.answered()) {
                dropped = true;
                throw new HttpCall.Dropped();
            }
            if (owner != null) {
                owner.error(call, 500, "The simulator failed: " + e.getClass().getSimpleName(), null);
            } else {
                call.json(500, ErrorBody.of("The simulator failed", "server_error", null, null));
            }
        } finally {
            if (!dropped) {
                exchange.close();
            }
        }
    }

    private ProviderHandler providerFor(String path) {
        if (path.startsWith("/openai/") || path.startsWith("/azure/")) {
            return providers.get(0);
        }
        if (path.startsWith("/anthropic/")) {
            return providers.get(1);
        }
        return path.startsWith("/gemini/") ? providers.get(2) : null;
    }
}
