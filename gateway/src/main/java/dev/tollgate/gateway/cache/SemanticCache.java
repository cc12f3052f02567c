package dev.tollgate.gateway.cache;

import com.github.jelmerk.hnswlib.core.DistanceFunctions;
import com.github.jelmerk.hnswlib.core.Item;
import com.github.jelmerk.hnswlib.core.SearchResult;
import com.github.jelmerk.hnswlib.core.hnsw.HnswIndex;
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
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
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
 * {@link CacheKeys#semanticBucket}). Rows live in PostgreSQL ({@code semantic_cache_entry}, plain
 * {@code bytea} vectors, no extension); each replica keeps the buckets it uses in memory as an HNSW
 * graph (hnswlib), built from those rows on first use and fed with the rows other replicas add every
 * {@link CacheConfiguration#semanticRefresh()}, so a search costs the same at ten entries or ten thousand.
 * <p>
 * Nothing runs on the event loop: a question is embedded once, on the {@link Embedder}'s bounded
 * pool, and that one vector serves both the lookup and the store of the fresh answer; the search
 * follows the embedding on the same thread and the request carries on from the blocking pool, which
 * keeps the embedding thread free for the next question; buckets are read from PostgreSQL on the
 * blocking pool (a due refresh never delays a search, which uses what is in memory meanwhile). A
 * lookup never holds a request past {@link CacheConfiguration#semanticBudget()} counted from the
 * start of the whole cache lookup: when the embedding or the search is late the request goes
 * upstream as a miss, and the embedding, which keeps running, is still used to store the fresh answer.
 */
@Singleton
public class SemanticCache {

    private static final Logger LOG = LoggerFactory.getLogger(SemanticCache.class);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("[\\s?!.\\u3002\\uFF1F\\uFF01]+$");
    /** Nearest neighbours read per search: the closest ones may have expired since the last refresh. */
    private static final int NEIGHBOURS = 4;
    /** HNSW graph: links per node, candidate list while building and while searching. */
    private static final int GRAPH_M = 16;
    private static final int GRAPH_EF_CONSTRUCTION = 100;
    private static final int GRAPH_EF = 40;

    /** A question being embedded, for one lookup and possibly one store. */
    public record Probe(UUID tenantId, String bucket, CompletableFuture<float[]> vector) {

        /** Gives the embedding up when it is no longer needed (an exact hit); one still queued is never computed. */
        public void cancel() {
            vector.cancel(false);
        }
    }

    /** A cached answer close enough to the question. */
    public record Hit(CachedAnswer answer, double similarity) {
    }

    /** A row of a bucket, as a node of its graph. */
    private record Entry(long rowId, float[] vector, long expiresAtMillis, CachedAnswer answer) implements Item<Long, float[]> {

        @Override
        public Long id() {
            return rowId;
        }

        @Override
        public int dimensions() {
            return vector.length;
        }
    }

    /**
     * One bucket's answers in memory: the graph searched, and the same entries in row order for
     * expiry and the per-bucket limit. Removing from a graph leaves its slot used, so a graph has room
     * for twice the limit and is rebuilt from the live entries when that runs out.
     */
    private static final class Bucket {
        final int limit;
        volatile HnswIndex<Long, float[], Entry, Float> graph;
        /** Guarded by this bucket, like {@link #slots}. */
        final ArrayDeque<Entry> order = new ArrayDeque<>();
        int slots;
        volatile long lastId;
        volatile long refreshedAt;
        volatile boolean loaded;
        /** The last read from PostgreSQL (in flight or done), null before the first. */
        volatile CompletableFuture<Bucket> reading;

        Bucket(int limit) {
            this.limit = limit;
            this.graph = graph(List.of());
        }

        HnswIndex<Long, float[], Entry, Float> graph(Collection<Entry> entries) {
            HnswIndex<Long, float[], Entry, Float> g = HnswIndex
                    .newBuilder(Embedder.DIMENSIONS, DistanceFunctions.FLOAT_INNER_PRODUCT, Math.max(64, 2 * limit))
                    .withM(GRAPH_M).withEfConstruction(GRAPH_EF_CONSTRUCTION).withEf(GRAPH_EF).withRemoveEnabled()
                    .build();
            entries.forEach(g::add);
            return g;
        }
    }

    private record BucketKey(UUID tenantId, String bucket) {
    }

    private final Embedder embedder;
    private final DataSource dataSource;
    private final JsonMapper json;
    private final CacheConfiguration configuration;
    private final ExecutorService blocking;
    private final ConcurrentMap<BucketKey, Bucket> buckets = new ConcurrentHashMap<>();
    private final Scheduler continuation;
    private final Timer lookups;
    private final Counter late;

    public SemanticCache(Embedder embedder, DataSource dataSource, JsonMapper json, CacheConfiguration configuration,
                         @Named(TaskExecutors.BLOCKING) ExecutorService blocking, MeterRegistry meters) {
        this.embedder = embedder;
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.json = json;
        this.configuration = configuration;
        this.blocking = blocking;
        this.continuation = Schedulers.fromExecutorService(blocking, "tollgate-semantic-cache");
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
        // the search follows the embedding on its thread (no hand-off); the request then carries on
        // from the blocking pool, not from the one embedding thread, which the next question needs
        CompletableFuture<Optional<Hit>> search = probe.vector().thenCombine(bucket(probe.tenantId(), probe.bucket()),
                (vector, bucket) -> search(bucket, vector, threshold));
        // timed to the end of the search, also when the request stopped waiting for it
        search.whenComplete((h, e) -> lookups.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
        return Mono.fromFuture(search, true)
                .publishOn(continuation)
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
        HnswIndex<Long, float[], Entry, Float> graph = bucket.graph;
        if (graph.size() == 0) {
            return Optional.empty();
        }
        long now = System.currentTimeMillis();
        for (SearchResult<Entry, Float> near : graph.findNearest(vector, NEIGHBOURS)) {
            Entry e = near.item();
            if (e.expiresAtMillis() > now) {
                double similarity = Embedder.similarity(vector, e.vector());
                return similarity >= threshold ? Optional.of(new Hit(e.answer(), similarity)) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * The bucket to search: at once when it is in memory (a due refresh then runs on the blocking
     * pool in the background), else once its first read from PostgreSQL is done.
     */
    private CompletableFuture<Bucket> bucket(UUID tenantId, String name) {
        Bucket b = buckets.computeIfAbsent(new BucketKey(tenantId, name), k -> new Bucket(configuration.semanticMaxEntries()));
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

    /** Adds a bucket's new rows and drops its expired and surplus ones (oldest first); called holding the bucket. */
    private static void merge(Bucket b, List<Entry> fresh) {
        List<Entry> added = new ArrayList<>(fresh.size());
        for (Entry e : fresh) {
            if (e.rowId() > b.lastId) {
                added.add(e);
                b.order.addLast(e);
                b.lastId = e.rowId();
            }
        }
        long now = System.currentTimeMillis();
        List<Entry> dropped = new ArrayList<>();
        while (!b.order.isEmpty() && (b.order.size() > b.limit || b.order.peekFirst().expiresAtMillis() <= now)) {
            dropped.add(b.order.pollFirst());
        }
        if (b.slots + added.size() > b.graph.getMaxItemCount()) {
            // searches use the old graph until the new one is swapped in
            b.graph = b.graph(b.order);
            b.slots = b.order.size();
            return;
        }
        added.forEach(b.graph::add);
        b.slots += added.size();
        dropped.forEach(e -> b.graph.remove(e.id(), e.version()));
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
