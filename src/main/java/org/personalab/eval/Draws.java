package org.personalab.eval;

import java.lang.ref.SoftReference;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The random draws of {@link Bootstrap} and of {@link PairedComparison}'s sign flips, computed once and reused.
 *
 * <p>Both seed a fresh {@link SplittableRandom} per call, so every call with the same seed, size and count draws the
 * same indices (or signs): an evaluation asks for them hundreds of times (every source × metric, every source ×
 * scale of every heatmap, every comparison), almost always for the same number of agents. Drawing them was most of
 * an evaluation's time ({@code nextInt(n)} costs an integer division). The tables hold exactly what the generator
 * would have given, in its order, transposed so that many resamples are summed side by side; each resample's sum
 * is still accumulated in the original order, so the results are bit for bit those of drawing inline.
 *
 * <p>The cache is bounded: tables up to {@value #MAX_BYTES} bytes are cached (2,000 resamples of up to 2,097 agents;
 * 10,000 sign patterns of up to 838), the {@value #MAX_TABLES} most recently used of each kind, held softly so
 * that memory pressure clears them; larger problems draw inline as before.
 */
final class Draws {

    /** Largest table cached. */
    static final int MAX_BYTES = 8 << 20;
    static final int MAX_TABLES = 3;

    private record Key(long seed, int n, int count) {
    }

    private static final Map<Key, SoftReference<char[]>> INDICES = lru();
    private static final Map<Key, SoftReference<byte[]>> SIGNS = lru();

    private Draws() {
    }

    private static <V> Map<Key, V> lru() {
        return new LinkedHashMap<>(8, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, V> eldest) {
                return size() > MAX_TABLES;
            }
        };
    }

    /**
     * Whether the index table of {@code resamples × n} draws is small enough to cache (indices are kept as 16-bit
     * {@code char}s, half the memory traffic of {@code int}s when they are summed).
     */
    static boolean cacheIndices(int resamples, int n) {
        return n <= Character.MAX_VALUE + 1 && 2L * resamples * n <= MAX_BYTES;
    }

    /** Whether the sign table of {@code permutations × n} draws is small enough to cache. */
    static boolean cacheSigns(int permutations, int n) {
        return (long) permutations * n <= MAX_BYTES;
    }

    /**
     * Bootstrap indices of {@code resamples} resamples of n values: {@code t[i * resamples + b]} is the i-th draw of
     * resample b, as {@code new SplittableRandom(seed)} draws them resample after resample ({@code nextInt(n)}).
     */
    static char[] indices(long seed, int n, int resamples) {
        Key key = new Key(seed, n, resamples);
        synchronized (INDICES) {
            SoftReference<char[]> ref = INDICES.get(key);
            char[] hit = ref == null ? null : ref.get();
            if (hit != null) {
                return hit;
            }
        }
        char[] t = new char[resamples * n];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int b = 0; b < resamples; b++) {
            for (int i = 0; i < n; i++) {
                t[i * resamples + b] = (char) rng.nextInt(n);
            }
        }
        synchronized (INDICES) {
            INDICES.put(key, new SoftReference<>(t));
        }
        return t;
    }

    /**
     * Signs of {@code permutations} random sign patterns of n values: {@code t[i * permutations + r]} is +1 or −1,
     * as {@code new SplittableRandom(seed)} draws them pattern after pattern ({@code nextBoolean()}: true keeps the
     * sign).
     */
    static byte[] signs(long seed, int n, int permutations) {
        Key key = new Key(seed, n, permutations);
        synchronized (SIGNS) {
            SoftReference<byte[]> ref = SIGNS.get(key);
            byte[] hit = ref == null ? null : ref.get();
            if (hit != null) {
                return hit;
            }
        }
        byte[] t = new byte[permutations * n];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int r = 0; r < permutations; r++) {
            for (int i = 0; i < n; i++) {
                t[i * permutations + r] = (byte) (rng.nextBoolean() ? 1 : -1);
            }
        }
        synchronized (SIGNS) {
            SIGNS.put(key, new SoftReference<>(t));
        }
        return t;
    }

    /**
     * {@code out[b] = Σ_i x[t[i * count + b]]}, each sum accumulated over i in order from 0 (as a loop drawing the
     * indices inline would), many resamples side by side.
     */
    static void sums(double[] x, char[] t, int count, double[] out) {
        java.util.Arrays.fill(out, 0, count, 0.0);
        for (int i = 0, n = x.length; i < n; i++) {
            int o = i * count;
            for (int b = 0; b < count; b++) {
                out[b] += x[t[o + b]];
            }
        }
    }

    /**
     * {@code out[r] = Σ_i s[i * count + r] · d[i]} in order from i = 0; multiplying by ±1 is exact, so each sum is
     * bit for bit that of adding {@code d[i]} or {@code −d[i]} one after the other.
     */
    static void signedSums(double[] d, byte[] s, int count, double[] out) {
        java.util.Arrays.fill(out, 0, count, 0.0);
        for (int i = 0, n = d.length; i < n; i++) {
            double x = d[i];
            int o = i * count;
            for (int r = 0; r < count; r++) {
                out[r] += x * s[o + r];
            }
        }
    }
}
