import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load generator (single-file Java, no dependencies): sends POST requests at a fixed
 * rate, whatever the server's speed, and measures each latency from the request's scheduled
 * start, so a stalled server cannot hide its queueing (no coordinated omission).
 *
 * <pre>java bench/LoadGen.java --url URL --rps 500 --seconds 20 --warmup 5 [--stream] [--header K:V] --body JSON --label NAME</pre>
 * A {@code {n}} in the body is replaced by each request's number, so that every request differs; a
 * {@code {q}} by a question of its own, drawn from word lists by the request's number and
 * {@code --seed}, so that questions also differ in meaning (semantic cache misses).
 * Prints one JSON line: label, sent, ok, errors, achieved rps, p50/p90/p99/max in milliseconds.
 */
public class LoadGen {

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        List<String> headers = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--stream")) {
                opt.put("stream", "true");
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
        String body = opt.get("body");
        // "{n}" in the body becomes the request's number: every request asks something new (cache misses)
        uniqueBody = body.contains("{n}") || body.contains("{q}") ? body : null;
        seed = Long.parseLong(opt.getOrDefault("seed", "0"));
        String label = opt.getOrDefault("label", url.toString());

        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newFixedThreadPool(8))
                .build();
        HttpRequest.Builder template = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (String h : headers) {
            int c = h.indexOf(':');
            template.header(h.substring(0, c).trim(), h.substring(c + 1).trim());
        }
        HttpRequest request = template.build();

        run(client, request, rps, warmup, null);
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        long start = System.nanoTime();
        int sent = run(client, request, rps, seconds, new Recorder(latencies, errors));
        double elapsed = (System.nanoTime() - start) / 1e9;

        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf(java.util.Locale.ROOT,
                "{\"label\":\"%s\",\"sent\":%d,\"ok\":%d,\"errors\":%d,\"rps\":%.1f,\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f}%n",
                label, sent, sorted.size(), errors.get(), sorted.size() / elapsed,
                pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99), pct(sorted, 1.0));
        System.exit(0);
    }

    static String uniqueBody;
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

    record Recorder(ConcurrentLinkedQueue<Long> latencies, AtomicInteger errors) {
    }

    /** Sends at {@code rps} for {@code seconds} and waits for every response; returns how many were sent. */
    static int run(HttpClient client, HttpRequest request, int rps, int seconds, Recorder recorder) {
        long interval = 1_000_000_000L / rps;
        int total = rps * seconds;
        List<CompletableFuture<?>> inflight = new ArrayList<>(total);
        long t0 = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long scheduled = t0 + i * interval;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            HttpRequest r = uniqueBody == null ? request : HttpRequest.newBuilder(request, (k, v) -> true)
                    .POST(HttpRequest.BodyPublishers.ofString(uniqueBody.replace("{n}", (recorder == null ? "w" : "") + i)
                            .replace("{q}", question(seed, recorder == null ? -1 - i : i)))).build();
            inflight.add(client.sendAsync(r, HttpResponse.BodyHandlers.ofString()).handle((resp, err) -> {
                long latency = System.nanoTime() - scheduled;
                if (recorder != null) {
                    if (err == null && resp.statusCode() == 200) {
                        recorder.latencies().add(latency);
                    } else {
                        recorder.errors().incrementAndGet();
                    }
                }
                return null;
            }));
        }
        CompletableFuture.allOf(inflight.toArray(CompletableFuture[]::new)).join();
        return total;
    }

    static double pct(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int idx = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, idx))) / 1e6;
    }
}
