package dev.tollgate.gateway.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The semantic cache: answers to earlier questions whose embedding is close enough to the new
 * question's, within one bucket (tenant, model, system prompt, parameters, route; see
 * {@link CacheKeys#semanticBucket}). Rows live in PostgreSQL ({@code semantic_cache_entry}); each
 * replica keeps the buckets it uses in memory and searches them by brute-force cosine, reading
 * rows other replicas added every {@link CacheConfiguration#semanticRefresh()}.
 * <p>
 * Nothing runs on the event loop: a question is embedded once, on the {@link Embedder}'s bounded
 * pool, and that one vector serves both the lookup and the store of the fresh answer; the search
 * runs on the same pool; buckets are read from PostgreSQL on the blocking pool (a due refresh
 * never delays a search, which uses what is in memory meanwhile). A lookup never holds a request
 * past {@link CacheConfiguration#semanticBudget()} counted from the start of the whole cache
 * lookup: when the embedding or the search is late the request goes upstream as a miss, and the
 * embedding, which keeps running, is still used to store the fresh answer.
 */
@Singleton
public class SemanticCache {

    private static final Logger LOG = LoggerFactory.getLogger(SemanticCache.class);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("[\\s?!.\\u3002\\uFF1F\\uFF01]+$");

    /** A question being embedded, for one lookup and possibly one store. */
    public record Probe(UUID tenantId, String bucket, CompletableFuture<float[]> vector) {
    }

    /** A cached answer close enough to the question. */
    public record Hit(CachedAnswer answer, double similarity) {
    }

    private record Entry(long id, float[] vector, long expiresAtMillis, CachedAnswer answer) {
    }

    /** One bucket's answers in memory, newest last; replaced as a whole under the bucket's lock. */
    private static final class Bucket {
        volatile Entry[] entries = new Entry[0];
        volatile long lastId;
        volatile long refreshedAt;
        volatile boolean loaded;
        /** The last read from PostgreSQL (in flight or done), null before the first. */
        volatile CompletableFuture<Bucket> reading;
    }

    private record BucketKey(UUID tenantId, String bucket) {
    }

    private final Embedder embedder;
    private final DataSource dataSource;
    private final JsonMapper json;
    private final CacheConfiguration configuration;
    private final ExecutorService blocking;
    private final ConcurrentMap<BucketKey, Bucket> buckets = new ConcurrentHashMap<>();
    private final Timer lookups;
    private final Counter late;

    public SemanticCache(Embedder embedder, DataSource dataSource, JsonMapper json, CacheConfiguration configuration,
                         @Named(TaskExecutors.BLOCKING) ExecutorService blocking, MeterRegistry meters) {
        this.embedder = embedder;
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.json = json;
        this.configuration = configuration;
        this.blocking = blocking;
        this.lookups = Timer.builder("tollgate.cache.semantic.lookup").description("semantic cache lookups (embedding and search)")
                .publishPercentiles(0.5, 0.99).register(meters);
        this.late = Counter.builder("tollgate.cache.semantic.late")
                .description("semantic lookups that missed their time budget and went upstream").register(meters);
    }

    /** Starts embedding a question (normalised first). */
    public Probe probe(UUID tenantId, String bucket, String question) {
        return new Probe(tenantId, bucket, embedder.embed(normalise(question)));
    }

    /**
     * The question as it is embedded: lower case, runs of white space as one space, without
     * trailing sentence punctuation. The model's tokenizer is uncased already; what this adds is
     * that "What is AI?" and "what is ai" embed identically, and it widens the gap between
     * paraphrases and different questions (measured: see {@link dev.tollgate.gateway.route.RouteConfig#DEFAULT_THRESHOLD}).
     */
    static String normalise(String question) {
        String text = WHITESPACE.matcher(question.toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
        return TRAILING_PUNCTUATION.matcher(text).replaceAll("");
    }

    /**
     * The closest answer at or above {@code threshold}; empty on a miss or when the lookup is late.
     *
     * @param startedNanos when the request's cache lookup began ({@link System#nanoTime()}): the
     *                     budget covers the exact cache lookup before this one too
     */
    public Mono<Optional<Hit>> lookup(Probe probe, double threshold, long startedNanos) {
        long start = System.nanoTime();
        long remaining = configuration.semanticBudget().toNanos() - (start - startedNanos);
        if (remaining <= 0) {
            late.increment();
            return Mono.just(Optional.empty());
        }
        CompletableFuture<Optional<Hit>> search = probe.vector().thenCombineAsync(bucket(probe.tenantId(), probe.bucket()),
                (vector, bucket) -> search(bucket, vector, threshold), embedder.executor());
        // timed to the end of the search, also when the request stopped waiting for it
        search.whenComplete((h, e) -> lookups.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
        return Mono.fromFuture(search, true)
                .timeout(Duration.ofNanos(remaining))
                .onErrorResume(e -> {
                    Throwable cause = unwrap(e);
                    if (cause instanceof TimeoutException || cause instanceof RejectedExecutionException) {
                        // late, or the embedding pool is full: this request goes without the semantic cache
                        late.increment();
                    } else {
                        LOG.warn("semantic cache lookup failed: {}", cause.toString());
                    }
                    return Mono.just(Optional.empty());
                });
    }

    /** Stores an answer under the probe's question once its embedding is ready (asynchronously). */
    public void store(Probe probe, CachedAnswer answer, Duration ttl) {
        if (answer.size() > configuration.maxEntryBytes()) {
            return;
        }
        probe.vector().thenAcceptAsync(v -> insert(probe, v, answer, ttl), blocking).exceptionally(e -> {
            Throwable cause = unwrap(e);
            if (!(cause instanceof RejectedExecutionException)) {
                // a full embedding pool sheds load on purpose: nothing to report per request
                LOG.warn("semantic cache store failed: {}", cause.toString());
            }
            return null;
        });
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static Optional<Hit> search(Bucket bucket, float[] vector, double threshold) {
        long now = System.currentTimeMillis();
        Entry best = null;
        double bestScore = -2;
        for (Entry e : bucket.entries) {
            if (e.expiresAtMillis() <= now) {
                continue;
            }
            double s = Embedder.similarity(vector, e.vector());
            if (s > bestScore) {
                bestScore = s;
                best = e;
            }
        }
        return best != null && bestScore >= threshold ? Optional.of(new Hit(best.answer(), bestScore)) : Optional.empty();
    }

    /**
     * The bucket to search: at once when it is in memory (a due refresh then runs on the blocking
     * pool in the background), else once its first read from PostgreSQL is done.
     */
    private CompletableFuture<Bucket> bucket(UUID tenantId, String name) {
        Bucket b = buckets.computeIfAbsent(new BucketKey(tenantId, name), k -> new Bucket());
        CompletableFuture<Bucket> reading = b.reading;
        boolean due = !b.loaded || System.currentTimeMillis() - b.refreshedAt >= configuration.semanticRefresh().toMillis();
        if (due && (reading == null || reading.isDone())) {
            synchronized (b) {
                if (b.reading == null || b.reading.isDone()) {
                    b.reading = CompletableFuture.supplyAsync(() -> refresh(tenantId, name, b), blocking);
                }
                reading = b.reading;
            }
        }
        return b.loaded || reading == null ? CompletableFuture.completedFuture(b) : reading;
    }

    /** Reads the rows added to a bucket since its last read (blocking). A failed read leaves it as it was until the next refresh. */
    private Bucket refresh(UUID tenantId, String name, Bucket b) {
        try {
            List<Entry> fresh = read(tenantId, name, b.lastId);
            synchronized (b) {
                merge(b, fresh);
                b.loaded = true;
            }
        } catch (SQLException | IOException e) {
            LOG.warn("semantic cache bucket could not be read: {}", e.toString());
        } finally {
            b.refreshedAt = System.currentTimeMillis();
        }
        return b;
    }

    private void merge(Bucket b, List<Entry> fresh) {
        long now = System.currentTimeMillis();
        List<Entry> all = new ArrayList<>(b.entries.length + fresh.size());
        for (Entry e : b.entries) {
            if (e.expiresAtMillis() > now) {
                all.add(e);
            }
        }
        for (Entry e : fresh) {
            if (e.id() > b.lastId) {
                all.add(e);
                b.lastId = e.id();
            }
        }
        int max = configuration.semanticMaxEntries();
        List<Entry> kept = all.size() > max ? all.subList(all.size() - max, all.size()) : all;
        b.entries = kept.toArray(new Entry[0]);
    }

    private List<Entry> read(UUID tenantId, String bucket, long afterId) throws SQLException, IOException {
        List<Entry> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select id, embedding, answer::text, expires_at from semantic_cache_entry
                     where tenant_id = ? and bucket = ? and id > ? and expires_at > now() order by id""")) {
            ps.setObject(1, tenantId);
            ps.setString(2, bucket);
            ps.setLong(3, afterId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getLong(1), decode(rs.getBytes(2)), rs.getTimestamp(4).getTime(),
                            json.readValue(rs.getString(3), CachedAnswer.class)));
                }
            }
        }
        return out;
    }

    private void insert(Probe probe, float[] vector, CachedAnswer answer, Duration ttl) {
        Instant expires = Instant.now().plus(ttl);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     insert into semantic_cache_entry (tenant_id, bucket, embedding, answer, expires_at)
                     values (?, ?, ?, ?::jsonb, ?) returning id""")) {
            ps.setObject(1, probe.tenantId());
            ps.setString(2, probe.bucket());
            ps.setBytes(3, encode(vector));
            ps.setString(4, json.writeValueAsString(answer));
            ps.setTimestamp(5, Timestamp.from(expires));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Bucket b = buckets.get(new BucketKey(probe.tenantId(), probe.bucket()));
                if (b != null) {
                    synchronized (b) {
                        if (b.loaded) {
                            // our own row is visible at once; rows with smaller ids arrive with the next refresh
                            List<Entry> fresh = new ArrayList<>(read(probe.tenantId(), probe.bucket(), b.lastId));
                            merge(b, fresh);
                        }
                    }
                }
            }
        } catch (SQLException | IOException e) {
            LOG.warn("semantic cache store failed: {}", e.toString());
        }
    }

    /** Deletes expired rows; returns how many. */
    public int purgeExpired() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from semantic_cache_entry where expires_at < now()")) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("semantic cache purge failed: {}", e.toString());
            return 0;
        }
    }

    static byte[] encode(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    static float[] decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[bytes.length / 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getFloat();
        }
        return v;
    }
}
