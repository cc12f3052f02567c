package dev.tollgate.platform.simulator;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deterministic prompt caching. Automatic caching (OpenAI, Gemini) works like OpenAI's: prompts
 * of at least {@value #AUTOMATIC_MINIMUM} tokens are cached in {@value #AUTOMATIC_STEP}-token
 * increments and a later prompt reads the longest increment it shares with an earlier one.
 * Explicit caching (Anthropic {@code cache_control}) remembers the exact marked prefix: the first
 * request writes it, later identical prefixes read it. Entries never expire within a run.
 */
final class PromptCache {

    static final int AUTOMATIC_MINIMUM = 1024;
    static final int AUTOMATIC_STEP = 128;
    private static final int MAX_ENTRIES = 1_000_000;

    private final Set<Long> prefixes = ConcurrentHashMap.newKeySet();

    /** Tokens of {@code prompt} served from the cache; remembers this prompt's prefixes for later requests. */
    int automatic(String provider, String model, int[] prompt) {
        if (prompt.length < AUTOMATIC_MINIMUM) {
            return 0;
        }
        trim();
        long hash = seed(provider + '\u0000' + model);
        int cached = 0;
        for (int i = 0; i < prompt.length; i++) {
            hash = mix(hash, prompt[i]);
            int length = i + 1;
            if (length >= AUTOMATIC_MINIMUM && (length - AUTOMATIC_MINIMUM) % AUTOMATIC_STEP == 0) {
                if (!prefixes.add(hash)) {
                    cached = length;
                }
            }
        }
        return cached;
    }

    /** Whether this exact prefix was cached before; caches it either way. */
    boolean explicit(String provider, String model, String prefix) {
        trim();
        long hash = seed(provider + '\u0001' + model);
        for (int i = 0; i < prefix.length(); i++) {
            hash = mix(hash, prefix.charAt(i));
        }
        return !prefixes.add(hash);
    }

    void clear() {
        prefixes.clear();
    }

    private void trim() {
        if (prefixes.size() > MAX_ENTRIES) {
            prefixes.clear();
        }
    }

    private static long seed(String text) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            hash = mix(hash, text.charAt(i));
        }
        return hash;
    }

    private static long mix(long hash, int value) {
        long h = (hash ^ value) * 0x100000001b3L;
        return h ^ (h >>> 29);
    }
}
