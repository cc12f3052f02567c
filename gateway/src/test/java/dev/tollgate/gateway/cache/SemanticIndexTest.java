package dev.tollgate.gateway.cache;

import dev.tollgate.gateway.GatewayTest;
import dev.tollgate.gateway.GatewayTestSupport;
import dev.tollgate.platform.usage.TokenUsage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The semantic cache's in-memory buckets against their PostgreSQL rows: many answers in one bucket
 * (more than its arrays have slots, so the live ones are copied into new arrays), the per-bucket limit keeping the newest
 * answers, and expired answers never served.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SemanticIndexTest extends GatewayTest {

    static final int LIMIT = 8;
    /** Identical questions only: the test is about which answers the bucket holds, not about paraphrases. */
    static final double SAME = 0.99;
    static final String[] PLACES = {"Paris", "Lyon", "Berlin", "Munich", "Madrid", "Lisbon", "Rome", "Milan", "Vienna",
            "Prague", "Warsaw", "Oslo", "Dublin", "Athens", "Cairo", "Nairobi", "Lagos", "Tokyo", "Osaka", "Seoul"};
    static final String[] TOPICS = {"population", "oldest building", "best museum", "main river", "typical dish"};

    @Inject
    SemanticCache semantic;

    /** Answer slots in memory over all buckets: a handful of small buckets. */
    static final int MEMORY = 100;

    @Inject
    Embedder embedder;
    @Inject
    MeterRegistry appMeters;
    @Inject
    DataSource dataSource;
    @Inject
    JsonMapper jsonMapper;
    @Inject
    CacheConfiguration configuration;
    @Inject
    @Named(TaskExecutors.BLOCKING)
    ExecutorService blocking;

    UUID tenant;

    @Override
    public Map<String, String> extraProperties() {
        return GatewayTestSupport.gatewayProperties(
                "tollgate.cache.semantic-max-entries", String.valueOf(LIMIT),
                "tollgate.cache.semantic-memory-entries", String.valueOf(MEMORY),
                "tollgate.cache.semantic-budget", "30s");
    }

    @BeforeAll
    void setUp() throws Exception {
        tenant = createKey().tenantId();
    }

    /** 100 distinct questions: more than the 64 slots of a bucket's arrays for this limit, so they are compacted on the way. */
    static List<String> questions() {
        List<String> out = new ArrayList<>();
        for (String topic : TOPICS) {
            for (String place : PLACES) {
                out.add("What is the " + topic + " of " + place + "?");
            }
        }
        return out;
    }

    @Test
    void aFullBucketKeepsItsNewestAnswersAndFindsThemAmongTheRest() throws Exception {
        String bucket = "index-" + UUID.randomUUID();
        List<String> questions = questions();
        // the bucket is in memory before the answers arrive, so each one is added to it as it is stored
        assertEquals(Optional.empty(), lookup(bucket, questions.get(0)));
        long rows = 0;
        for (String q : questions) {
            semantic.store(semantic.probe(tenant, bucket, q), answer(q), Duration.ofMinutes(10));
            // one at a time, so that row order is question order
            awaitRows(bucket, ++rows);
        }
        for (String q : questions.subList(questions.size() - LIMIT, questions.size())) {
            Optional<SemanticCache.Hit> hit = lookup(bucket, q);
            assertTrue(hit.isPresent(), "the newest answers are kept: " + q);
            assertEquals(q, hit.get().answer().body(), "the answer of the question itself");
            assertTrue(hit.get().similarity() > SAME, "similarity " + hit.get().similarity());
        }
        for (String q : questions.subList(0, questions.size() - LIMIT)) {
            assertEquals(Optional.empty(), lookup(bucket, q).map(h -> h.answer().body()),
                    "beyond the bucket's limit the oldest answers are gone: " + q);
        }
        // another replica reads the bucket afresh: the newest rows only, the same answers
        SemanticCache replica = new SemanticCache(embedder, dataSource, jsonMapper, configuration, blocking, new SimpleMeterRegistry());
        try {
            String newest = questions.get(questions.size() - 1);
            String oldest = questions.get(0);
            assertEquals(Optional.of(newest), replica.lookup(replica.probe(tenant, bucket, newest), SAME, System.nanoTime()).block()
                    .map(h -> h.answer().body()));
            assertEquals(Optional.empty(), replica.lookup(replica.probe(tenant, bucket, oldest), SAME, System.nanoTime()).block()
                    .map(h -> h.answer().body()));
        } finally {
            replica.close();
        }
    }

    @Test
    void expiredAnswersAreNotServed() throws Exception {
        String bucket = "expiry-" + UUID.randomUUID();
        semantic.store(semantic.probe(tenant, bucket, "How long does an answer live?"), answer("short"), Duration.ofMillis(1500));
        semantic.store(semantic.probe(tenant, bucket, "What is the tallest mountain?"), answer("long"), Duration.ofMinutes(10));
        awaitRows(bucket, 2);
        assertEquals(Optional.of("short"), lookup(bucket, "How long does an answer live?").map(h -> h.answer().body()));
        Thread.sleep(1600);
        assertEquals(Optional.empty(), lookup(bucket, "How long does an answer live?").map(h -> h.answer().body()),
                "expired, though still in memory and in PostgreSQL until purged");
        assertEquals(Optional.of("long"), lookup(bucket, "What is the tallest mountain?").map(h -> h.answer().body()));
    }

    @Test
    void bucketsBeyondTheMemoryBoundAreDroppedAndReadAgainWhenUsed() throws Exception {
        String first = "memory-" + UUID.randomUUID();
        semantic.store(semantic.probe(tenant, first, "What is the capital of Peru?"), answer("Lima"), Duration.ofMinutes(10));
        awaitRows(first, 1);
        assertEquals(Optional.of("Lima"), lookup(first, "What is the capital of Peru?").map(h -> h.answer().body()));
        // every distinct system prompt or model is a bucket of its own: without a bound they would pile up
        for (int i = 0; i < 40; i++) {
            assertEquals(Optional.empty(), lookup("memory-other-" + i + "-" + UUID.randomUUID(), "What is the capital of Peru?"));
        }
        long held = semantic.bucketsInMemory();
        assertTrue(held <= MEMORY / 16, "buckets in memory: " + held);
        assertTrue(held >= 1, "the bound drops buckets, not all of them: " + held);
        assertEquals(Optional.of("Lima"), lookup(first, "What is the capital of Peru?").map(h -> h.answer().body()),
                "a dropped bucket is read again from PostgreSQL");
    }

    /**
     * A question embedded before its lookup is asked for (Redis answered the exact lookup later) is
     * searched on the blocking pool, not on the asking thread, which in the gateway is an event loop.
     */
    @Test
    void aSearchWhoseEmbeddingIsDoneRunsOnTheBlockingPoolNotOnTheAskingThread() throws Exception {
        String bucket = "thread-" + UUID.randomUUID();
        String question = "What is the capital of Chile?";
        semantic.store(semantic.probe(tenant, bucket, question), answer("Santiago"), Duration.ofMinutes(10));
        awaitRows(bucket, 1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        SemanticCache replica = new SemanticCache(embedder, dataSource, jsonMapper, configuration, pool, meters);
        try {
            assertEquals(Optional.of("Santiago"), replica.lookup(replica.probe(tenant, bucket, question), SAME, System.nanoTime())
                    .block().map(h -> h.answer().body()), "the bucket is read and in memory");
            SemanticCache.Probe probe = replica.probe(tenant, bucket, question);
            probe.vector().get(10, TimeUnit.SECONDS);
            // the blocking pool's one thread is kept busy: a search handed to it must wait
            CountDownLatch release = new CountDownLatch(1);
            pool.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            // lookups are timed when their search ends, before the answer is handed on
            Timer lookups = meters.get("tollgate.cache.semantic.lookup").timer();
            assertEquals(1, lookups.count());
            CompletableFuture<Optional<SemanticCache.Hit>> found = replica.lookup(probe, SAME, System.nanoTime()).toFuture();
            Thread.sleep(300);
            assertEquals(1, lookups.count(), "searched on the asking thread");
            assertFalse(found.isDone());
            release.countDown();
            assertEquals(Optional.of("Santiago"), found.get(10, TimeUnit.SECONDS).map(h -> h.answer().body()));
            assertEquals(2, lookups.count());
            assertEquals(2, meters.get("tollgate.cache.semantic.search").timer().count(), "one search timed per lookup");
            assertTrue(appMeters.get("tollgate.cache.semantic.embedding").timer().count() >= 3, "each question's embedding is timed");
        } finally {
            replica.close();
            pool.shutdownNow();
        }
    }

    Optional<SemanticCache.Hit> lookup(String bucket, String question) {
        return semantic.lookup(semantic.probe(tenant, bucket, question), SAME, System.nanoTime()).block();
    }

    static CachedAnswer answer(String body) {
        return new CachedAnswer(CachedAnswer.Kind.NEUTRAL, body, List.of(), "openai", "gpt-4o-mini", TokenUsage.of(5, 7));
    }

    long rows(String bucket) throws Exception {
        return ((Number) calls.rows("select count(*) as n from semantic_cache_entry where bucket = '" + bucket + "'")
                .get(0).get("n")).longValue();
    }

    void awaitRows(String bucket, long expected) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (rows(bucket) < expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(expected, rows(bucket), "semantic cache rows of " + bucket);
    }
}
