package dev.tollgate.gateway.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.annotation.PreDestroy;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The semantic cache: answers to earlier questions whose embedding is close enough to the new
 * question's, within one bucket (tenant, model, system prompt, parameters, route; see
 * {@link CacheKeys#semanticBucket}). Rows live in PostgreSQL ({@code semantic_cache_entry}, plain
 * {@code bytea} vectors, no extension); each replica keeps the buckets it uses in memory, read from
 * those rows on first use and fed with the rows other replicas add every
 * {@link CacheConfiguration#semanticRefresh()}, and searches them (see {@link VectorSearch}); how
 * much a replica holds over all buckets is bounded ({@link CacheConfiguration#semanticMemoryEntries()}), as
 * every distinct model and system prompt makes a bucket of its own.
 * <p>
 * Nothing runs on the event loop: a question is embedded once, on the {@link Embedder}'s bounded
 * pool, and that one vector serves both the lookup and the store of the fresh answer; the search
 * follows the embedding on the same thread (or runs on the blocking pool when the embedding was done
 * before the lookup was asked for) and the request carries on from the blocking pool, which
 * keeps the embedding thread free for the next question; buckets are read from PostgreSQL on the
 * blocking pool (a due refresh never delays a search, which uses what is in memory meanwhile); fresh
 * answers are written by one thread in batches, behind a bounded queue, so a burst of misses costs
 * neither connections nor threads beyond that one. A
 * lookup never holds a request past {@link CacheConfiguration#semanticBudget()} counted from the
 * start of the whole cache lookup: when the embedding or the search is late the request goes
 * upstream as a miss, and the embedding, which keeps running, is still used to store the fresh answer.
 */
@Singleton
public class SemanticCache {

    private static final Logger LOG = LoggerFactory.getLogger(SemanticCache.class);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("[\\s?!.\\u3002\\uFF1F\\uFF01]+$");
    /** Slots of a bucket's arrays when they are first allocated or compacted, at least. */
    private static final int MIN_SLOTS = 16;
    /** Answers waiting to be written, at most; and written per transaction, at most. */
    private static final int STORE_QUEUE = 1024;
    private static final int STORE_BATCH = 128;

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

    /** A row of a bucket; its vector, signature and expiry are in the bucket's arrays. */
    private record Entry(long rowId, CachedAnswer answer) {
    }

    /**
     * What a search sees of a bucket: rows {@code start} (inclusive) to {@code end} (exclusive) of
     * {@code entries}, their vectors, signatures ({@link VectorSearch}) and expiries (epoch millis)
     * slot by slot in the other arrays. A merge appends past {@code end} and publishes a new view;
     * slots a view can see are never written again, so searches read without a lock.
     */
    private record View(float[] vectors, long[] signatures, long[] expires, Entry[] entries, int start, int end) {

        static final View EMPTY = new View(new float[0], new long[0], new long[0], new Entry[0], 0, 0);
    }

    /** One bucket's answers in memory, oldest first. */
    private static final class Bucket {
        final int limit;
        volatile View view = View.EMPTY;
        volatile long lastId;
        volatile long refreshedAt;
        volatile boolean loaded;
        /** The last read from PostgreSQL (in flight or done), null before the first; replaced holding {@link #readingLock}. */
        volatile CompletableFuture<Bucket> reading;
        final Object readingLock = new Object();

        Bucket(int limit) {
            this.limit = limit;
        }
    }

    private record BucketKey(UUID tenantId, String bucket) {
    }

    /** A row read from PostgreSQL, with its vector, to be merged into its bucket. */
    private record Added(Entry entry, float[] vector, long expiresAtMillis) {
    }

    /** An answer waiting to be written. */
    private record Pending(BucketKey bucket, float[] vector, CachedAnswer answer, Instant expires) {
    }

    private final Embedder embedder;
    private final DataSource dataSource;
    private final JsonMapper json;
    private final CacheConfiguration configuration;
    private final ExecutorService blocking;
    /** Weighed by allocated slots, so that many small buckets and a few large ones are bounded alike. */
    private final Cache<BucketKey, Bucket> buckets;
    private final Scheduler continuation;
    private final Executor searchOn;
    private final Timer lookups;
    private final Timer searches;
    private final Counter late;
    private final Counter dropped;
    private final Counter stored;
    private final BlockingQueue<Pending> pending = new ArrayBlockingQueue<>(STORE_QUEUE);
    private final Thread writer;

    public SemanticCache(Embedder embedder, DataSource dataSource, JsonMapper json, CacheConfiguration configuration,
                         @Named(TaskExecutors.BLOCKING) ExecutorService blocking, MeterRegistry meters) {
        this.embedder = embedder;
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.json = json;
        this.configuration = configuration;
        this.blocking = blocking;
        this.continuation = Schedulers.fromExecutorService(blocking, "tollgate-semantic-cache");
        // where the embedding finished, else on the blocking pool: an embedding done before its lookup
        // was asked for (Redis answered the exact lookup later) would otherwise be searched on the asking
        // thread, an event loop of the server or of Redis, held for the whole scan (JFR, 50 misses/s:
        // a third of the scanning time was on those loops)
        this.searchOn = task -> {
            if (embedder.onPool()) {
                task.run();
            } else {
                blocking.execute(task);
            }
        };
        this.lookups = Timer.builder("tollgate.cache.semantic.lookup").description("semantic cache lookups (embedding and search)")
                .publishPercentiles(0.5, 0.99).register(meters);
        this.searches = Timer.builder("tollgate.cache.semantic.search").description("time to search one bucket for a question")
                .publishPercentiles(0.5, 0.99).register(meters);
        this.late = Counter.builder("tollgate.cache.semantic.late")
                .description("semantic lookups that missed their time budget and went upstream").register(meters);
        this.dropped = Counter.builder("tollgate.cache.semantic.store.dropped")
                .description("answers not cached because too many were waiting to be written").register(meters);
        this.stored = Counter.builder("tollgate.cache.semantic.stored")
                .description("answers written to the semantic cache and searchable on this replica").register(meters);
        this.buckets = Caffeine.newBuilder()
                .maximumWeight(configuration.semanticMemoryEntries())
                .weigher((BucketKey k, Bucket b) -> MIN_SLOTS + b.view.entries().length)
                .build();
        Gauge.builder("tollgate.cache.semantic.buckets", buckets, Cache::estimatedSize)
                .description("semantic cache buckets held in memory").register(meters);
        this.writer = new Thread(this::writeLoop, "tollgate-semantic-store");
        writer.setDaemon(true);
        writer.start();
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
        CompletableFuture<Optional<Hit>> search = probe.vector().thenCombineAsync(bucket(probe.tenantId(), probe.bucket()),
                (vector, bucket) -> searches.record(() -> search(bucket, vector, threshold)), searchOn);
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

    /**
     * Stores an answer under the probe's question once its embedding is ready (asynchronously). Answers
     * are written by one thread, in batches; when more than {@link #STORE_QUEUE} wait, new ones are not
     * cached (counted in {@code tollgate.cache.semantic.store.dropped}) rather than piling up.
     */
    public void store(Probe probe, CachedAnswer answer, Duration ttl) {
        if (answer.size() > configuration.maxEntryBytes()) {
            return;
        }
        probe.vector().thenAccept(v -> {
            if (!pending.offer(new Pending(new BucketKey(probe.tenantId(), probe.bucket()), v, answer, Instant.now().plus(ttl)))) {
                dropped.increment();
            }
        }).exceptionally(e -> {
            Throwable cause = unwrap(e);
            if (!(cause instanceof RejectedExecutionException) && !(cause instanceof CancellationException)) {
                // a full embedding pool sheds load on purpose: nothing to report per request
                LOG.warn("semantic cache store failed: {}", cause.toString());
            }
            return null;
        });
    }

    /** The writer thread: waits for answers, writes all that wait (up to a batch) in one transaction. */
    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(STORE_BATCH);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                batch.add(pending.take());
                pending.drainTo(batch, STORE_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warn("semantic cache store failed: {}", e.toString());
            } finally {
                batch.clear();
            }
        }
    }

    /** Buckets held in memory now (after pending evictions). */
    long bucketsInMemory() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    @PreDestroy
    void close() {
        writer.interrupt();
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /** The closest live answer at or above {@code threshold}, if any. */
    private static Optional<Hit> search(Bucket bucket, float[] vector, double threshold) {
        View v = bucket.view;
        int i = VectorSearch.closest(v.vectors(), v.signatures(), v.expires(), v.start(), v.end(), vector, System.currentTimeMillis());
        if (i < 0) {
            return Optional.empty();
        }
        double similarity = VectorSearch.similarity(v.vectors(), i * Embedder.DIMENSIONS, vector);
        return similarity >= threshold ? Optional.of(new Hit(v.entries()[i].answer(), similarity)) : Optional.empty();
    }

    /**
     * The bucket to search: at once when it is in memory (a due refresh then runs on the blocking
     * pool in the background), else once its first read from PostgreSQL is done.
     */
    private CompletableFuture<Bucket> bucket(UUID tenantId, String name) {
        Bucket b = buckets.get(new BucketKey(tenantId, name), k -> new Bucket(configuration.semanticMaxEntries()));
        CompletableFuture<Bucket> reading = b.reading;
        boolean due = !b.loaded || System.currentTimeMillis() - b.refreshedAt >= configuration.semanticRefresh().toMillis();
        if (due && (reading == null || reading.isDone())) {
            // not the bucket's own lock, which a merge holds: the caller may be an event loop
            synchronized (b.readingLock) {
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
            List<Added> fresh = read(tenantId, name, b.lastId);
            int slots;
            synchronized (b) {
                slots = b.view.entries().length;
                merge(b, fresh);
                b.loaded = true;
            }
            if (b.view.entries().length != slots) {
                // weighed again, which may drop other buckets (or this one: it is then read again when next used)
                buckets.asMap().replace(new BucketKey(tenantId, name), b, b);
            }
        } catch (SQLException | IOException e) {
            LOG.warn("semantic cache bucket could not be read: {}", e.toString());
        } finally {
            b.refreshedAt = System.currentTimeMillis();
        }
        return b;
    }

    /** Adds a bucket's new rows and drops its expired and surplus ones (oldest first); called holding the bucket. */
    private static void merge(Bucket b, List<Added> fresh) {
        List<Added> added = new ArrayList<>(fresh.size());
        for (Added a : fresh) {
            if (a.entry().rowId() > b.lastId) {
                added.add(a);
                b.lastId = a.entry().rowId();
            }
        }
        View v = b.view;
        long now = System.currentTimeMillis();
        int start = v.start();
        while (start < v.end() && (v.end() - start + added.size() > b.limit || v.expires()[start] <= now)) {
            start++;
        }
        // surplus among the new rows themselves (a first read of a large bucket): the newest are kept
        List<Added> kept = added.subList(Math.max(0, added.size() - b.limit), added.size());
        View into = v;
        int end = v.end();
        if (end + kept.size() > v.entries().length) {
            int live = end - start;
            into = copy(v, start, live, Math.max(MIN_SLOTS, 2 * (live + kept.size())));
            start = 0;
            end = live;
        }
        for (Added a : kept) {
            System.arraycopy(a.vector(), 0, into.vectors(), end * Embedder.DIMENSIONS, Embedder.DIMENSIONS);
            System.arraycopy(VectorSearch.signature(a.vector()), 0, into.signatures(), end * VectorSearch.WORDS, VectorSearch.WORDS);
            into.expires()[end] = a.expiresAtMillis();
            into.entries()[end++] = a.entry();
        }
        b.view = new View(into.vectors(), into.signatures(), into.expires(), into.entries(), start, end);
    }

    /** New arrays of {@code capacity} slots holding {@code live} slots of {@code v} from {@code start}, moved to slot 0. */
    private static View copy(View v, int start, int live, int capacity) {
        View c = new View(new float[capacity * Embedder.DIMENSIONS], new long[capacity * VectorSearch.WORDS],
                new long[capacity], new Entry[capacity], 0, live);
        System.arraycopy(v.vectors(), start * Embedder.DIMENSIONS, c.vectors(), 0, live * Embedder.DIMENSIONS);
        System.arraycopy(v.signatures(), start * VectorSearch.WORDS, c.signatures(), 0, live * VectorSearch.WORDS);
        System.arraycopy(v.expires(), start, c.expires(), 0, live);
        System.arraycopy(v.entries(), start, c.entries(), 0, live);
        return c;
    }

    /**
     * A bucket's live rows after {@code afterId}, in row order: only the newest the bucket keeps, so
     * that a bucket with a long TTL and a busy past is not read whole to keep its last few thousand.
     */
    private List<Added> read(UUID tenantId, String bucket, long afterId) throws SQLException, IOException {
        List<Added> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select id, embedding, answer::text, expires_at from semantic_cache_entry
                     where tenant_id = ? and bucket = ? and id > ? and expires_at > now() order by id desc limit ?""")) {
            ps.setObject(1, tenantId);
            ps.setString(2, bucket);
            ps.setLong(3, afterId);
            ps.setInt(4, configuration.semanticMaxEntries());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Added(new Entry(rs.getLong(1), json.readValue(rs.getString(3), CachedAnswer.class)),
                            decode(rs.getBytes(2)), rs.getTimestamp(4).getTime()));
                }
            }
        }
        Collections.reverse(out);
        return out;
    }

    private void write(List<Pending> batch) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into semantic_cache_entry (tenant_id, bucket, embedding, answer, expires_at)
                    values (?, ?, ?, ?::jsonb, ?)""")) {
                for (Pending p : batch) {
                    ps.setObject(1, p.bucket().tenantId());
                    ps.setString(2, p.bucket().bucket());
                    ps.setBytes(3, encode(p.vector()));
                    ps.setString(4, json.writeValueAsString(p.answer()));
                    ps.setTimestamp(5, Timestamp.from(p.expires()));
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException | IOException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | IOException e) {
            LOG.warn("semantic cache store failed: {}", e.toString());
            return;
        }
        // the new rows are searchable here at once; other replicas pick them up with their next refresh
        for (BucketKey key : batch.stream().map(Pending::bucket).distinct().toList()) {
            Bucket b = buckets.getIfPresent(key);
            if (b != null && b.loaded) {
                refresh(key.tenantId(), key.bucket(), b);
            }
        }
        stored.increment(batch.size());
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
