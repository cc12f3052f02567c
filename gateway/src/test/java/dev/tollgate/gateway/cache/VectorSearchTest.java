package dev.tollgate.gateway.cache;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bucket search against an exact scan of every vector: with real embeddings of many similar
 * questions it finds the same answer, and it never trades correctness for speed where signatures
 * tie or answers have expired.
 */
class VectorSearchTest {

    static final int DIMS = Embedder.DIMENSIONS;
    static final String[] OPENERS = {"how does", "why does", "what makes", "who first studied", "is it true that",
            "how much energy does", "what limits", "how would you explain"};
    static final String[] SUBJECTS = {"a glacier", "the stock market", "photosynthesis", "a jet engine", "the immune system",
            "sourdough bread", "a black hole", "a compiler", "coral reef", "a violin", "monsoon rain", "a lithium battery",
            "bird migration", "jazz harmony", "inflation", "a honeybee colony", "the tax code", "desert wind"};
    static final String[] VERBS = {"change", "grow", "fail", "move", "cost so much", "matter", "work", "break down"};
    static final String[] CONTEXTS = {"in winter", "for beginners", "under pressure", "on Mars", "at night",
            "in the deep ocean", "for a farmer", "during a drought"};
    static final String[] PARAPHRASES = {"can you explain how a glacier moves in winter", "explain to a beginner how the stock market works",
            "why would a jet engine fail under pressure", "tell me why coral reefs change at night", "what is AI",
            "describe how bird migration works", "what does inflation cost a farmer", "how do compilers work"};

    static Embedder embedder;

    @BeforeAll
    static void loadModel() {
        embedder = new Embedder(new CacheConfiguration(Duration.ofMillis(50), 1 << 20, Duration.ofDays(1), Duration.ofSeconds(8),
                Duration.ofSeconds(2), 10_000, 100_000, 1, 16, false), new SimpleMeterRegistry());
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    static float[] embed(String text) throws Exception {
        return embedder.embed(SemanticCache.normalise(text)).get();
    }

    /** Question {@code id}'s words, with number {@code n} (or none when it is even). */
    static String question(long id, long n) {
        SplittableRandom r = new SplittableRandom(id);
        return OPENERS[r.nextInt(OPENERS.length)] + " " + SUBJECTS[r.nextInt(SUBJECTS.length)] + " "
                + VERBS[r.nextInt(VERBS.length)] + " " + CONTEXTS[r.nextInt(CONTEXTS.length)] + (n % 2 == 0 ? "?" : " (" + n + ")?");
    }

    /** The slots' arrays, filled from {@code vectors}, all live. */
    record Slots(float[] vectors, long[] signatures, long[] expires) {
        static Slots of(float[]... vectors) {
            Slots s = new Slots(new float[vectors.length * DIMS], new long[vectors.length * VectorSearch.WORDS], new long[vectors.length]);
            for (int i = 0; i < vectors.length; i++) {
                System.arraycopy(vectors[i], 0, s.vectors, i * DIMS, DIMS);
                System.arraycopy(VectorSearch.signature(vectors[i]), 0, s.signatures, i * VectorSearch.WORDS, VectorSearch.WORDS);
            }
            Arrays.fill(s.expires, Long.MAX_VALUE);
            return s;
        }

        int closest(float[] question, int start, int end) {
            return VectorSearch.closest(vectors, signatures, expires, start, end, question, System.currentTimeMillis());
        }

        /** The closest live slot by cosine similarity over every slot. */
        int exact(float[] question, int start, int end) {
            int found = -1;
            double best = Double.NEGATIVE_INFINITY;
            for (int i = start; i < end; i++) {
                double s = VectorSearch.similarity(vectors, i * DIMS, question);
                if (expires[i] > System.currentTimeMillis() && s > best) {
                    best = s;
                    found = i;
                }
            }
            return found;
        }
    }

    @Test
    void findsWhatAnExactScanFindsAmongThousandsOfSimilarQuestions() throws Exception {
        int stored = 2_000;
        float[][] vectors = new float[stored][];
        for (int i = 0; i < stored; i++) {
            vectors[i] = embed(question(i, i));
        }
        Slots slots = Slots.of(vectors);
        int close = 0;
        for (int q = 0; q < 240; q++) {
            // a stored question with another number (or none), a fresh one, or a paraphrase
            String text = q % 3 == 0 ? question(q * 7L, stored + q) : q % 3 == 1 ? question(stored + q, q) : PARAPHRASES[q % PARAPHRASES.length];
            float[] v = embed(text);
            int exact = slots.exact(v, 0, stored);
            assertEquals(exact, slots.closest(v, 0, stored), "closest to \"" + text + "\"");
            if (VectorSearch.similarity(slots.vectors, exact * DIMS, v) >= 0.9) {
                close++;
            }
        }
        assertTrue(close >= 40, "near duplicates among the questions: " + close);
    }

    @Test
    void vectorsWhoseSignaturesTieAreAllComparedNotJustTheFirstCandidates() {
        // all coordinates positive: one signature for all, so ranking by signature cannot tell them apart
        SplittableRandom r = new SplittableRandom(7);
        int n = 4 * VectorSearch.CANDIDATES;
        float[][] vectors = new float[n][];
        for (int i = 0; i < n; i++) {
            vectors[i] = positiveUnit(r);
        }
        Slots slots = Slots.of(vectors);
        for (int q = 0; q < 20; q++) {
            float[] question = positiveUnit(r);
            int exact = slots.exact(question, 0, n);
            assertEquals(exact, slots.closest(question, 0, n));
        }
        int last = n - 1;
        assertEquals(last, slots.closest(vectors[last], 0, n), "a stored vector finds itself, in the last slot too");
    }

    @Test
    void expiredAnswersAndSlotsOutsideTheViewAreNeverFound() throws Exception {
        float[] ai = embed("what is AI");
        float[] paraphrase = embed("can you explain what AI is");
        float[] other = embed("how do glaciers move in winter");
        Slots slots = Slots.of(ai, other, paraphrase, ai);
        assertEquals(0, slots.closest(ai, 0, 4));
        slots.expires[0] = System.currentTimeMillis() - 1;
        assertEquals(3, slots.closest(ai, 0, 4), "the identical answer that is still live");
        assertEquals(2, slots.closest(ai, 0, 3), "slot 3 is past the view's end");
        assertEquals(1, slots.closest(ai, 1, 2));
        slots.expires[1] = System.currentTimeMillis() - 1;
        assertEquals(-1, slots.closest(ai, 0, 2), "nothing live");
        assertEquals(-1, slots.closest(ai, 0, 0), "an empty bucket");
    }

    static float[] positiveUnit(SplittableRandom r) {
        float[] v = new float[DIMS];
        for (int i = 0; i < DIMS; i++) {
            v[i] = (float) (0.01 + r.nextDouble());
        }
        return Embedder.normalise(v);
    }
}
