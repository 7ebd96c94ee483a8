package org.personalab.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Paired comparison of two sets of per-agent values on the same agents (two runs, or a run and a baseline):
 * the differences {@code d = a - b} of the agents both have a value for, tested two ways.
 * <ul>
 * <li><b>Sign-flip permutation test</b> of mean(d) = 0: under the null each difference is as likely to have either
 * sign. Exact over all 2^n sign patterns for n &le; {@value #EXACT_LIMIT}, otherwise {@code permutations} random
 * patterns with p = (1 + hits) / (1 + permutations) (never 0). Two-sided: |flipped mean| &ge; |observed mean|.
 * The patterns depend only on the seed and n, so they are drawn once and reused ({@link Draws}).</li>
 * <li><b>Wilcoxon signed-rank test</b>, normal approximation: zero differences dropped (Wilcoxon's method), average
 * ranks for ties with the tie correction of the variance, no continuity correction (scipy.stats.wilcoxon's
 * {@code method="approx"} defaults). Its p-value is unreliable for fewer than about 10 non-zero differences.</li>
 * </ul>
 * Effect sizes: Cohen's d_z = mean(d) / sd(d) (sample sd; NaN when sd is 0 or n &lt; 2), and the matched-pairs
 * rank-biserial correlation r = (W+ - W-) / (W+ + W-) in [-1, 1] (Kerby's simple difference).
 *
 * @param n              pairs with both values
 * @param meanDifference mean of a - b, with its bootstrap interval in {@code difference}
 * @param difference     bootstrap estimate of the mean difference
 * @param permutationP   two-sided permutation p-value (NaN when n = 0)
 * @param exact          whether the permutation p-value enumerated every sign pattern
 * @param nonZero        pairs with a non-zero difference (the Wilcoxon sample)
 * @param wPlus          sum of the ranks of the positive differences
 * @param wMinus         sum of the ranks of the negative differences
 * @param z              Wilcoxon z statistic (positive: a tends to exceed b)
 * @param wilcoxonP      two-sided p-value of the normal approximation (NaN with no non-zero difference)
 * @param cohensDz       Cohen's d_z
 * @param rankBiserial   matched-pairs rank-biserial correlation
 */
public record PairedComparison(int n, double meanDifference, Estimate difference, double permutationP, boolean exact,
        int nonZero, double wPlus, double wMinus, double z, double wilcoxonP, double cohensDz, double rankBiserial) {

    /** Largest n for which the permutation test enumerates all 2^n sign patterns. */
    public static final int EXACT_LIMIT = 20;
    public static final int DEFAULT_PERMUTATIONS = 10_000;
    private static final double TIE = 1e-9;

    /**
     * Compares {@code a} with {@code b} (same length, same agent at the same index; NaN = no value).
     *
     * @param permutations random sign patterns when n exceeds {@link #EXACT_LIMIT}
     * @param bootstrap    for the interval of the mean difference; its seed also seeds the permutations
     */
    public static PairedComparison of(double[] a, double[] b, int permutations, Bootstrap bootstrap) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired values differ in length: " + a.length + " vs " + b.length);
        }
        double[] d = new double[a.length];
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            if (!Double.isNaN(a[i]) && !Double.isNaN(b[i])) {
                d[n++] = a[i] - b[i];
            }
        }
        d = Arrays.copyOf(d, n);
        if (n == 0) {
            return new PairedComparison(0, Double.NaN, Estimate.EMPTY, Double.NaN, true, 0, 0, 0, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = Bootstrap.sum(d) / n;
        Estimate ci = bootstrap.mean(d);
        boolean exact = n <= EXACT_LIMIT;
        double p = exact ? exactPermutationP(d) : randomPermutationP(d, permutations, bootstrap.seed());
        double sd = sd(d, mean);
        double dz = n < 2 || sd == 0 ? Double.NaN : mean / sd;
        Wilcoxon w = wilcoxon(d);
        double rb = w.nonZero == 0 ? Double.NaN : (w.wPlus - w.wMinus) / (w.wPlus + w.wMinus);
        return new PairedComparison(n, mean, ci, p, exact, w.nonZero, w.wPlus, w.wMinus, w.z, w.p, dz, rb);
    }

    /**
     * Exact two-sided sign-flip p-value: the share of the 2^n sign patterns with |sum| &ge; |observed sum|. Walks
     * the patterns in Gray-code order, so each step flips one sign and costs O(1).
     */
    static double exactPermutationP(double[] d) {
        int n = d.length;
        double observed = Math.abs(Bootstrap.sum(d));
        double tol = tolerance(d);
        boolean[] flipped = new boolean[n];
        double s = Bootstrap.sum(d);
        long hits = 1; // the identity pattern
        long total = 1L << n;
        for (long k = 1; k < total; k++) {
            int i = Long.numberOfTrailingZeros(k);
            s += flipped[i] ? 2 * d[i] : -2 * d[i];
            flipped[i] = !flipped[i];
            if (Math.abs(s) >= observed - tol) {
                hits++;
            }
        }
        return (double) hits / total;
    }

    /** Slack for "as extreme as observed": sums of the same values in another order may differ in the last bits. */
    private static double tolerance(double[] d) {
        double a = 0;
        for (double x : d) {
            a += Math.abs(x);
        }
        return 1e-9 * Math.max(1, a);
    }

    static double randomPermutationP(double[] d, int permutations, long seed) {
        if (permutations < 1) {
            throw new IllegalArgumentException("permutations must be positive, got " + permutations);
        }
        double observed = Math.abs(Bootstrap.sum(d));
        double tol = tolerance(d);
        long hits = 0;
        if (Draws.cacheSigns(permutations, d.length)) {
            double[] sums = new double[permutations];
            Draws.signedSums(d, Draws.signs(seed ^ 0x5DEECE66DL, d.length, permutations), permutations, sums);
            for (double s : sums) {
                if (Math.abs(s) >= observed - tol) {
                    hits++;
                }
            }
            return (1.0 + hits) / (1.0 + permutations);
        }
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
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

    static double sd(double[] d, double mean) {
        if (d.length < 2) {
            return Double.NaN;
        }
        double ss = 0;
        for (double x : d) {
            ss += (x - mean) * (x - mean);
        }
        double sd = Math.sqrt(ss / (d.length - 1));
        return sd < TIE * Math.max(1, Math.abs(mean)) ? 0 : sd;
    }

    record Wilcoxon(int nonZero, double wPlus, double wMinus, double z, double p) {
    }

    static Wilcoxon wilcoxon(double[] d) {
        double[] nz = Arrays.stream(d).filter(x -> Math.abs(x) > TIE).toArray();
        int m = nz.length;
        if (m == 0) {
            return new Wilcoxon(0, 0, 0, Double.NaN, Double.NaN);
        }
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(Math.abs(nz[x]), Math.abs(nz[y])));
        double[] rank = new double[m];
        double tieTerm = 0;
        for (int i = 0; i < m;) {
            int j = i;
            while (j + 1 < m && Math.abs(nz[order[j + 1]]) - Math.abs(nz[order[i]]) <= TIE) {
                j++;
            }
            double avg = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) {
                rank[order[t]] = avg;
            }
            double t = j - i + 1;
            tieTerm += t * t * t - t;
            i = j + 1;
        }
        double wPlus = 0;
        for (int i = 0; i < m; i++) {
            if (nz[i] > 0) {
                wPlus += rank[i];
            }
        }
        double total = m * (m + 1) / 2.0;
        double wMinus = total - wPlus;
        double mu = total / 2;
        double var = m * (m + 1) * (2.0 * m + 1) / 24 - tieTerm / 48;
        double z = var <= 0 ? Double.NaN : (wPlus - mu) / Math.sqrt(var);
        double p = Double.isNaN(z) ? Double.NaN : Math.min(1, erfc(Math.abs(z) / Math.sqrt(2)));
        return new Wilcoxon(m, wPlus, wMinus, z, p);
    }

    /** Complementary error function (Numerical Recipes' Chebyshev fit, relative error below 1.2e-7). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
