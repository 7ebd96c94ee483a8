package org.personalab.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The cached draws give bit for bit what drawing inline gave (the evaluation's stored numbers must not move), on
 * both sides of the cache limit.
 */
class DrawsTest {

    private static double[] values(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            // awkward magnitudes, so that a different summation order would show in the last bits
            v[i] = r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3);
        }
        return v;
    }

    /** The bootstrap as it was before the draws were cached: indices drawn inline, one resample after another. */
    private static Estimate inlineBootstrap(double[] x, int resamples, double level, long seed) {
        int n = x.length;
        double mean = Bootstrap.sum(x) / n;
        double[] means = new double[resamples];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int b = 0; b < resamples; b++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += x[rng.nextInt(n)];
            }
            means[b] = s / n;
        }
        Arrays.sort(means);
        double alpha = (1 - level) / 2;
        return new Estimate(mean, Bootstrap.quantile(means, alpha), Bootstrap.quantile(means, 1 - alpha), n);
    }

    /** The permutation p-value as it was before: signs drawn inline, one pattern after another. */
    private static double inlinePermutationP(double[] d, int permutations, long seed) {
        double observed = Math.abs(Bootstrap.sum(d));
        double a = 0;
        for (double x : d) {
            a += Math.abs(x);
        }
        double tol = 1e-9 * Math.max(1, a);
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        long hits = 0;
        for (int r = 0; r < permutations; r++) {
            double s = 0;
            for (double x : d) {
                s += rng.nextBoolean() ? x : -x;
            }
            if (Math.abs(s) >= observed - tol) {
                hits++;
            }
        }
        return (1.0 + hits) / (1.0 + permutations);
    }

    @Test
    void bootstrapIntervalsAreBitForBitThoseOfInlineDraws() {
        for (int n : new int[] {2, 3, 37, 200, 1001, 2500}) {
            double[] x = values(n, n);
            for (long seed : new long[] {42, 7}) {
                Estimate want = inlineBootstrap(x, Bootstrap.DEFAULT_RESAMPLES, 0.95, seed);
                Estimate got = Bootstrap.withSeed(seed).mean(x);
                assertEquals(want, got, "n " + n + ", seed " + seed + " (cached: "
                        + Draws.cacheIndices(Bootstrap.DEFAULT_RESAMPLES, n) + ")");
                assertEquals(want, Bootstrap.withSeed(seed).mean(x), "again, from the cached table");
            }
        }
        assertTrue(Draws.cacheIndices(Bootstrap.DEFAULT_RESAMPLES, 2000));
        assertFalse(Draws.cacheIndices(Bootstrap.DEFAULT_RESAMPLES, 2500), "2,500 agents draw inline");
    }

    @Test
    void permutationPValuesAreBitForBitThoseOfInlineSigns() {
        for (int n : new int[] {21, 60, 200, 900}) {
            double[] d = values(n, 100 + n);
            for (int i = 0; i < n; i += 3) {
                d[i] = Math.abs(d[i]) + 0.01; // a moderate effect, so that p is neither 0 nor 1
            }
            double want = inlinePermutationP(d, PairedComparison.DEFAULT_PERMUTATIONS, 42);
            double got = PairedComparison.randomPermutationP(d, PairedComparison.DEFAULT_PERMUTATIONS, 42);
            assertEquals(want, got, "n " + n + " (cached: " + Draws.cacheSigns(PairedComparison.DEFAULT_PERMUTATIONS, n)
                    + ")");
        }
        assertFalse(Draws.cacheSigns(PairedComparison.DEFAULT_PERMUTATIONS, 900), "900 pairs draw inline");
    }

    @Test
    void tablesHoldTheGeneratorsDrawsInOrderAndAreReused() {
        int n = 13;
        int count = 150;
        char[] idx = Draws.indices(5, n, count);
        SplittableRandom rng = new SplittableRandom(5);
        for (int b = 0; b < count; b++) {
            for (int i = 0; i < n; i++) {
                assertEquals(rng.nextInt(n), idx[i * count + b], "resample " + b + ", draw " + i);
            }
        }
        assertSame(idx, Draws.indices(5, n, count), "the same seed, size and count reuse the table");
        byte[] signs = Draws.signs(5, n, count);
        rng = new SplittableRandom(5);
        for (int r = 0; r < count; r++) {
            for (int i = 0; i < n; i++) {
                assertEquals(rng.nextBoolean() ? 1 : -1, signs[i * count + r], "pattern " + r + ", value " + i);
            }
        }
        double[] sums = new double[count];
        Draws.signedSums(new double[] {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096}, signs, count, sums);
        double[] want = new double[count];
        for (int r = 0; r < count; r++) {
            for (int i = 0; i < n; i++) {
                want[r] += signs[i * count + r] * Math.pow(2, i);
            }
        }
        assertArrayEquals(want, sums);
    }
}
