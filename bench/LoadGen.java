import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load generator (single-file Java, no dependencies): sends POST requests at a fixed
 * rate, whatever the server's speed, and measures each latency from the request's scheduled
 * start to the last byte of its answer, so a stalled server cannot hide its queueing (no
 * coordinated omission).
 *
 * <pre>java bench/LoadGen.java --url URL --rps 500 --seconds 20 --warmup 5 [--stream] [--header K:V] --body JSON --label NAME [--connections 64]</pre>
 * A {@code {n}} in the body is replaced by each request's number, so that every request differs; a
 * {@code {q}} by a question of its own, drawn from word lists by the request's number and
 * {@code --seed}, so that questions also differ in meaning (semantic cache misses).
 * Prints one JSON line: label, sent, ok, errors, achieved rps, p50/p90/p99/max in milliseconds.
 *
 * <p>Why not the JDK's HttpClient (used until 2026-12-03): on two cores shared with the server
 * under test, its selector thread, executor hand-offs and per-request allocations gave the
 * instrument itself a P99 of 8–13 ms. Here each of {@code --connections} threads owns one
 * kept-alive HTTP/1.1 connection and does blocking writes and reads into buffers it reuses:
 * a request costs the instrument two system calls and almost no garbage. A thread takes the next
 * free slot of the schedule, waits for its time and sends; when every thread is busy a request
 * leaves late, and its latency still counts from its scheduled time.
 */
public class LoadGen {

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        List<String> headers = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--stream")) {
                // a flag without a value, for the scripts' readability: every answer, streamed or not, is read to its last byte
                continue;
            } else if (a.equals("--header")) {
                headers.add(args[++i]);
            } else if (a.startsWith("--")) {
                opt.put(a.substring(2), args[++i]);
            }
        }
        URI url = URI.create(opt.get("url"));
        int rps = Integer.parseInt(opt.getOrDefault("rps", "500"));
        int seconds = Integer.parseInt(opt.getOrDefault("seconds", "20"));
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "5"));
        int connections = Integer.parseInt(opt.getOrDefault("connections", "64"));
        String body = opt.get("body");
        seed = Long.parseLong(opt.getOrDefault("seed", "0"));
        String label = opt.getOrDefault("label", url.toString());

        StringBuilder head = new StringBuilder()
                .append("POST ").append(url.getRawPath()).append(url.getRawQuery() == null ? "" : "?" + url.getRawQuery())
                .append(" HTTP/1.1\r\nHost: ").append(url.getHost()).append(':').append(url.getPort())
                .append("\r\nContent-Type: application/json\r\n");
        for (String h : headers) {
            int c = h.indexOf(':');
            head.append(h, 0, c).append(": ").append(h.substring(c + 1).trim()).append("\r\n");
        }
        Target target = new Target(new InetSocketAddress(url.getHost(), url.getPort()), head.toString(), body,
                body.contains("{n}") || body.contains("{q}"));

        Connection[] pool = new Connection[connections];
        for (int c = 0; c < connections; c++) {
            pool[c] = new Connection(target.address());
        }
        run(target, rps, warmup, pool, false);
        long start = System.nanoTime();
        Run measured = run(target, rps, seconds, pool, true);
        double elapsed = (System.nanoTime() - start) / 1e9;

        long[] sorted = Arrays.copyOf(measured.latencies, measured.ok.get());
        Arrays.sort(sorted);
        System.out.printf(java.util.Locale.ROOT,
                "{\"label\":\"%s\",\"sent\":%d,\"ok\":%d,\"errors\":%d,\"rps\":%.1f,\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f}%n",
                label, measured.total, sorted.length, measured.errors.get(), sorted.length / elapsed,
                pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99), pct(sorted, 1.0));
        System.exit(0);
    }

    static long seed;

    private static final String[] OPENERS = {"how does", "why does", "when did", "what makes", "who first studied",
            "where can I see", "is it true that", "how much energy does", "what limits", "how would you explain"};
    private static final String[] SUBJECTS = {"a glacier", "the stock market", "photosynthesis", "a jet engine",
            "the immune system", "sourdough bread", "a black hole", "medieval trade", "a compiler", "coral reef",
            "the roman senate", "a violin", "monsoon rain", "a lithium battery", "bird migration", "jazz harmony",
            "a suspension bridge", "the printing press", "volcanic soil", "a chess opening", "inflation",
            "a honeybee colony", "the tax code", "a neural network", "desert wind", "an electric guitar"};
    private static final String[] VERBS = {"change", "grow", "fail", "move", "cost so much", "matter", "work",
            "get measured", "break down", "compete"};
    private static final String[] CONTEXTS = {"in winter", "for beginners", "in ancient Egypt", "under pressure",
            "on Mars", "in a small town", "at night", "after a war", "in the deep ocean", "for a farmer",
            "in modern Japan", "during a drought"};

    /** A question of its own for request {@code n} of a run seeded {@code seed}: the same inputs give the same question. */
    static String question(long seed, long n) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed * 1_000_003L + n);
        return OPENERS[r.nextInt(OPENERS.length)] + " " + SUBJECTS[r.nextInt(SUBJECTS.length)] + " "
                + VERBS[r.nextInt(VERBS.length)] + " " + CONTEXTS[r.nextInt(CONTEXTS.length)] + " (" + n + ")?";
    }

    /** Where requests go and what they say; {@code unique}: the body has {@code {n}} or {@code {q}} to fill in. */
    record Target(InetSocketAddress address, String head, String body, boolean unique) {

        /** The bytes of request {@code i}; a warm-up request gets numbers and questions the measured ones never use. */
        byte[] request(int i, boolean measured) {
            String b = unique ? body.replace("{n}", (measured ? "" : "w") + i).replace("{q}", question(seed, measured ? i : -1 - i)) : body;
            byte[] bytes = b.getBytes(StandardCharsets.UTF_8);
            byte[] h = (head + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            byte[] out = Arrays.copyOf(h, h.length + bytes.length);
            System.arraycopy(bytes, 0, out, h.length, bytes.length);
            return out;
        }
    }

    /** One run's schedule and results: latencies of the successful requests in nanoseconds, in completion order. */
    static final class Run {
        final int total;
        final long t0;
        final long interval;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger ok = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();
        final long[] latencies;

        Run(int rps, int seconds) {
            this.total = rps * seconds;
            this.interval = 1_000_000_000L / rps;
            this.latencies = new long[total];
            this.t0 = System.nanoTime() + 10_000_000L;
        }

        void record(long latency, boolean success) {
            if (success) {
                latencies[ok.getAndIncrement()] = latency;
            } else {
                errors.incrementAndGet();
            }
        }
    }

    /** Sends at {@code rps} for {@code seconds}, one thread per connection of {@code pool}, and waits for every answer. */
    static Run run(Target target, int rps, int seconds, Connection[] pool, boolean measured) throws InterruptedException {
        Run run = new Run(rps, seconds);
        byte[] fixed = target.unique() ? null : target.request(0, measured);
        Thread[] threads = new Thread[pool.length];
        for (int c = 0; c < pool.length; c++) {
            Connection connection = pool[c];
            threads[c] = new Thread(() -> {
                for (int i = run.next.getAndIncrement(); i < run.total; i = run.next.getAndIncrement()) {
                    byte[] request = fixed != null ? fixed : target.request(i, measured);
                    long scheduled = run.t0 + i * run.interval;
                    for (long wait = scheduled - System.nanoTime(); wait > 0; wait = scheduled - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    boolean success = connection.exchange(request);
                    run.record(System.nanoTime() - scheduled, success);
                }
            }, "loadgen-" + c);
            threads[c].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return run;
    }

    /**
     * One kept-alive HTTP/1.1 connection: writes a request, reads its whole answer (Content-Length
     * or chunked), reconnects after a failure or a {@code Connection: close}.
     */
    static final class Connection {
        private final InetSocketAddress address;
        private final byte[] buffer = new byte[64 * 1024];
        private final StringBuilder line = new StringBuilder();
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private int position;
        private int limit;

        Connection(InetSocketAddress address) {
            this.address = address;
        }

        /** Sends one request and reads its answer; true when it was a 200 read to its end. */
        boolean exchange(byte[] request) {
            try {
                if (socket == null) {
                    socket = new Socket();
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout(30_000);
                    socket.connect(address, 5_000);
                    in = socket.getInputStream();
                    out = socket.getOutputStream();
                    position = limit = 0;
                }
                out.write(request);
                String status = readLine();
                int code = Integer.parseInt(status.substring(9, 12));
                long length = -1;
                boolean chunked = false;
                boolean close = false;
                for (String h = readLine(); !h.isEmpty(); h = readLine()) {
                    int c = h.indexOf(':');
                    String name = h.substring(0, c).trim();
                    String value = h.substring(c + 1).trim();
                    if (name.equalsIgnoreCase("content-length")) {
                        length = Long.parseLong(value);
                    } else if (name.equalsIgnoreCase("transfer-encoding")) {
                        chunked = value.equalsIgnoreCase("chunked");
                    } else if (name.equalsIgnoreCase("connection")) {
                        close = value.equalsIgnoreCase("close");
                    }
                }
                if (chunked) {
                    for (long size = Long.parseLong(chunkSize(readLine()), 16); size > 0; size = Long.parseLong(chunkSize(readLine()), 16)) {
                        skip(size);
                        readLine();
                    }
                    while (!readLine().isEmpty()) {
                        // trailers
                    }
                } else if (length >= 0) {
                    skip(length);
                } else {
                    close = true;
                    while (fill()) {
                        position = limit;
                    }
                }
                if (close) {
                    close();
                }
                return code == 200;
            } catch (IOException | RuntimeException e) {
                close();
                return false;
            }
        }

        private static String chunkSize(String line) {
            int semicolon = line.indexOf(';');
            return (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
        }

        private boolean fill() throws IOException {
            if (position < limit) {
                return true;
            }
            int n = in.read(buffer);
            if (n < 0) {
                return false;
            }
            position = 0;
            limit = n;
            return true;
        }

        private String readLine() throws IOException {
            line.setLength(0);
            while (true) {
                if (!fill()) {
                    throw new EOFException("connection closed mid-answer");
                }
                byte b = buffer[position++];
                if (b == '\n') {
                    int n = line.length();
                    if (n > 0 && line.charAt(n - 1) == '\r') {
                        line.setLength(n - 1);
                    }
                    return line.toString();
                }
                line.append((char) b);
            }
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                if (!fill()) {
                    throw new EOFException("connection closed mid-answer");
                }
                int step = (int) Math.min(n, limit - position);
                position += step;
                n -= step;
            }
        }

        void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // nothing left to release
                }
                socket = null;
            }
        }
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int idx = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1e6;
    }
}
