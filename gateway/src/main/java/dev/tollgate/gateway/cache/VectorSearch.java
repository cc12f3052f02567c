package dev.tollgate.gateway.cache;

/**
 * The search of one semantic-cache bucket: which stored unit vector is closest to a question's.
 * <p>
 * Two steps. Each vector also has a signature, the signs of its coordinates packed into
 * {@link #WORDS} longs; the Hamming distance between two signatures (six XORs and pop counts)
 * ranks candidates, and the {@link #CANDIDATES} nearest by signature (more when their distances
 * tie) are compared exactly by cosine similarity. A full bucket of 10,000 answers is 15 MB of floats,
 * a scan of which is bound by memory bandwidth (1.5 ms measured alone on the bench machine, several
 * times that under load); its signatures are 480 KB and rank in 0.05 ms. Measured on 10,000
 * bench-style questions and 900 probes (near duplicates, paraphrases, unrelated questions): whenever
 * the exact best had a similarity of 0.5 or more, it was among the 8 nearest by signature.
 */
final class VectorSearch {

    /** Longs in a signature. */
    static final int WORDS = Embedder.DIMENSIONS / Long.SIZE;
    /** Vectors compared exactly per search, at least (all of them in a smaller bucket). */
    static final int CANDIDATES = 64;

    private VectorSearch() {
    }

    /** The signature of a vector: bit {@code i} set when coordinate {@code i} is positive. */
    static long[] signature(float[] vector) {
        long[] bits = new long[WORDS];
        for (int i = 0; i < Embedder.DIMENSIONS; i++) {
            if (vector[i] > 0) {
                bits[i >>> 6] |= 1L << (i & 63);
            }
        }
        return bits;
    }

    /**
     * The slot of the live vector closest to {@code question} among slots {@code start} (inclusive)
     * to {@code end} (exclusive), or -1 when none is live.
     *
     * @param vectors    the vectors, {@link Embedder#DIMENSIONS} floats per slot
     * @param signatures their signatures, {@link #WORDS} longs per slot
     * @param expires    per slot, when its answer expires (epoch millis); expired slots are skipped
     */
    static int closest(float[] vectors, long[] signatures, long[] expires, int start, int end,
                       float[] question, long nowMillis) {
        long[] q = signature(question);
        int[] distance = new int[end - start];
        // distances 0..DIMENSIONS, counted per value: the cut-off that keeps CANDIDATES is then one pass away
        int[] counts = new int[Embedder.DIMENSIONS + 1];
        for (int i = start; i < end; i++) {
            int d = -1;
            if (expires[i] > nowMillis) {
                int o = i * WORDS;
                d = Long.bitCount(signatures[o] ^ q[0]) + Long.bitCount(signatures[o + 1] ^ q[1])
                        + Long.bitCount(signatures[o + 2] ^ q[2]) + Long.bitCount(signatures[o + 3] ^ q[3])
                        + Long.bitCount(signatures[o + 4] ^ q[4]) + Long.bitCount(signatures[o + 5] ^ q[5]);
                counts[d]++;
            }
            distance[i - start] = d;
        }
        int cutoff = 0;
        int kept = counts[0];
        while (kept < CANDIDATES && cutoff < Embedder.DIMENSIONS) {
            kept += counts[++cutoff];
        }
        double best = Double.NEGATIVE_INFINITY;
        int found = -1;
        for (int i = start; i < end; i++) {
            int d = distance[i - start];
            if (d >= 0 && d <= cutoff) {
                double s = similarity(vectors, i * Embedder.DIMENSIONS, question);
                if (s > best) {
                    best = s;
                    found = i;
                }
            }
        }
        return found;
    }

    /**
     * Cosine similarity of the unit vector at {@code offset} of {@code vectors} (as long as
     * {@code b}) and the unit vector {@code b}. Eight running sums, not one: each addition no longer
     * waits for the previous one, which makes the comparison several times faster.
     */
    static double similarity(float[] vectors, int offset, float[] b) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int n = b.length & ~7;
        int i = 0;
        for (; i < n; i += 8) {
            int o = offset + i;
            s0 += vectors[o] * b[i];
            s1 += vectors[o + 1] * b[i + 1];
            s2 += vectors[o + 2] * b[i + 2];
            s3 += vectors[o + 3] * b[i + 3];
            s4 += vectors[o + 4] * b[i + 4];
            s5 += vectors[o + 5] * b[i + 5];
            s6 += vectors[o + 6] * b[i + 6];
            s7 += vectors[o + 7] * b[i + 7];
        }
        for (; i < b.length; i++) {
            s0 += vectors[offset + i] * b[i];
        }
        return (s0 + s1) + (s2 + s3) + (s4 + s5) + (s6 + s7);
    }
}
