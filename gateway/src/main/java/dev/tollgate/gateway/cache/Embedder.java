package dev.tollgate.gateway.cache;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sentence embeddings computed in process with all-MiniLM-L6-v2 (quantised, ONNX, through
 * langchain4j): 384 dimensions, unit length, no network call. The model (about 23 MB) is loaded
 * on first use, or at start-up with {@code tollgate.cache.semantic-warmup}. Embeddings run on a
 * small pool of their own with a bounded queue: when it is full the request simply skips the
 * semantic cache instead of queueing behind others.
 */
@Singleton
public class Embedder {

    /** Dimensions of an embedding. */
    public static final int DIMENSIONS = 384;

    private final CacheConfiguration configuration;
    private final ThreadPoolExecutor pool;
    private final Counter computed;
    private final Timer computing;
    private volatile EmbeddingModel model;

    public Embedder(CacheConfiguration configuration, MeterRegistry meters) {
        this.configuration = configuration;
        this.computed = Counter.builder("tollgate.cache.semantic.embeddings").description("questions embedded").register(meters);
        this.computing = Timer.builder("tollgate.cache.semantic.embedding").description("time to embed one question, queueing excluded")
                .publishPercentiles(0.5, 0.99).register(meters);
        AtomicInteger n = new AtomicInteger();
        int threads = Math.max(1, configuration.semanticThreads());
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, configuration.semanticQueue())), r -> {
            Thread t = new Worker(this, r, "tollgate-embed-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** A thread of this embedder's pool. */
    private static final class Worker extends Thread {
        final Embedder owner;

        Worker(Embedder owner, Runnable task, String name) {
            super(task, name);
            this.owner = owner;
        }
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (configuration.semanticWarmup()) {
            pool.execute(this::model);
        }
    }

    /** The embedding of a text, unit length; fails with {@link RejectedExecutionException} when the pool is saturated. */
    public CompletableFuture<float[]> embed(String text) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                computed.increment();
                long start = System.nanoTime();
                float[] vector = normalise(model().embed(text).content().vector());
                computing.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                return vector;
            }, pool);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Whether the calling thread is one of this embedder's, where an embedding has just finished. */
    boolean onPool() {
        return Thread.currentThread() instanceof Worker w && w.owner == this;
    }

    private EmbeddingModel model() {
        EmbeddingModel m = model;
        if (m == null) {
            synchronized (this) {
                if (model == null) {
                    model = load();
                }
                m = model;
            }
        }
        return m;
    }

    /**
     * The model of {@link AllMiniLmL6V2QuantizedEmbeddingModel}, in a session of one thread: ONNX
     * Runtime would otherwise spread each embedding over every core and take them from the event
     * loops; one short sentence takes a few milliseconds on one core.
     */
    private static EmbeddingModel load() {
        try (InputStream onnx = AllMiniLmL6V2QuantizedEmbeddingModel.class.getResourceAsStream("/all-minilm-l6-v2-q.onnx");
             InputStream tokenizer = AllMiniLmL6V2QuantizedEmbeddingModel.class.getResourceAsStream("/all-minilm-l6-v2-q-tokenizer.json")) {
            if (onnx == null || tokenizer == null) {
                throw new IllegalStateException("the all-MiniLM-L6-v2 (quantised) model is not on the classpath");
            }
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            OrtSession session = environment.createSession(onnx.readAllBytes(), options);
            OnnxBertBiEncoder encoder = new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN);
            return new AbstractInProcessEmbeddingModel(Runnable::run) {
                @Override
                protected OnnxBertBiEncoder model() {
                    return encoder;
                }

                @Override
                protected Integer knownDimension() {
                    return DIMENSIONS;
                }
            };
        } catch (IOException | OrtException e) {
            throw new IllegalStateException("cannot load the embedding model", e);
        }
    }

    static float[] normalise(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        double norm = Math.sqrt(sum);
        if (norm == 0) {
            return v;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / norm);
        }
        return out;
    }

    @PreDestroy
    void close() {
        pool.shutdownNow();
    }
}
