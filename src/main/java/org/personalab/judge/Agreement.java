package org.personalab.judge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Agreement between raters on nominal labels (here verdicts A/B/tie): Cohen's κ for two raters (the judge versus one
 * annotator) with its confusion table, Krippendorff's α (nominal) for any number of raters with missing labels, each
 * with a percentile bootstrap interval over units (deterministic for a given seed).
 */
public final class Agreement {

    public static final int BOOTSTRAP_REPLICATES = 2000;
    public static final long BOOTSTRAP_SEED = 20240601L;

    private Agreement() {
    }

    /**
     * A confusion table of two raters: {@code counts[i][j]} = units rater 1 labelled {@code categories[i]} and rater
     * 2 labelled {@code categories[j]}.
     */
    public record Confusion<T>(List<T> categories, long[][] counts) {

        public long n() {
            long n = 0;
            for (long[] row : counts) {
                for (long c : row) {
                    n += c;
                }
            }
            return n;
        }

        public double observedAgreement() {
            long n = n();
            long d = 0;
            for (int i = 0; i < counts.length; i++) {
                d += counts[i][i];
            }
            return n == 0 ? Double.NaN : (double) d / n;
        }

        /** Cohen's κ = (p_o − p_e) / (1 − p_e); NaN when undefined (no units, or one category only). */
        public double kappa() {
            return Agreement.kappa(counts);
        }
    }

    /** Cohen's κ of a square table of counts. */
    public static double kappa(long[][] t) {
        int k = t.length;
        double n = 0;
        double[] rows = new double[k];
        double[] cols = new double[k];
        double diag = 0;
        for (int i = 0; i < k; i++) {
            if (t[i].length != k) {
                throw new IllegalArgumentException("a confusion table must be square");
            }
            for (int j = 0; j < k; j++) {
                n += t[i][j];
                rows[i] += t[i][j];
                cols[j] += t[i][j];
            }
            diag += t[i][i];
        }
        if (n == 0) {
            return Double.NaN;
        }
        double po = diag / n;
        double pe = 0;
        for (int i = 0; i < k; i++) {
            pe += rows[i] / n * (cols[i] / n);
        }
        return pe >= 1 - 1e-12 ? Double.NaN : (po - pe) / (1 - pe);
    }

    /** The confusion table of two raters over the units both labelled ({@code null} = not labelled). */
    public static <T> Confusion<T> confusion(List<T> categories, List<T> rater1, List<T> rater2) {
        if (rater1.size() != rater2.size()) {
            throw new IllegalArgumentException("the raters' label lists differ in length: " + rater1.size() + " vs "
                    + rater2.size());
        }
        Map<T, Integer> index = new HashMap<>();
        for (int i = 0; i < categories.size(); i++) {
            index.put(categories.get(i), i);
        }
        long[][] c = new long[categories.size()][categories.size()];
        for (int u = 0; u < rater1.size(); u++) {
            T a = rater1.get(u);
            T b = rater2.get(u);
            if (a == null || b == null) {
                continue;
            }
            Integer i = index.get(a);
            Integer j = index.get(b);
            if (i == null || j == null) {
                throw new IllegalArgumentException("label " + (i == null ? a : b) + " is not one of " + categories);
            }
            c[i][j]++;
        }
        return new Confusion<>(List.copyOf(categories), c);
    }

    /** Cohen's κ of two raters with a 95 % percentile bootstrap interval over the units both labelled. */
    public static <T> Interval cohenKappa(List<T> categories, List<T> rater1, List<T> rater2) {
        List<Integer> both = new ArrayList<>();
        for (int u = 0; u < rater1.size(); u++) {
            if (rater1.get(u) != null && rater2.get(u) != null) {
                both.add(u);
            }
        }
        ToDoubleFunction<List<Integer>> stat = units -> confusion(categories,
                units.stream().map(rater1::get).toList(), units.stream().map(rater2::get).toList()).kappa();
        return bootstrap(both, stat);
    }

    /**
     * Krippendorff's α for nominal data: {@code units.get(u).get(r)} is rater r's label of unit u, or null when r did
     * not label u. Units with fewer than two labels are not pairable and are left out. α = 1 − D_o / D_e from the
     * coincidence matrix; NaN when there is no variation at all.
     */
    public static <T> double krippendorffAlpha(List<? extends List<T>> units) {
        Map<T, Integer> index = new LinkedHashMap<>();
        for (List<T> u : units) {
            for (T v : u) {
                if (v != null) {
                    index.putIfAbsent(v, index.size());
                }
            }
        }
        int k = index.size();
        double[][] o = new double[k][k];
        for (List<T> u : units) {
            List<Integer> vals = new ArrayList<>();
            for (T v : u) {
                if (v != null) {
                    vals.add(index.get(v));
                }
            }
            int m = vals.size();
            if (m < 2) {
                continue;
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    if (i != j) {
                        o[vals.get(i)][vals.get(j)] += 1.0 / (m - 1);
                    }
                }
            }
        }
        double n = 0;
        double[] nc = new double[k];
        double agree = 0;
        for (int c = 0; c < k; c++) {
            for (int d = 0; d < k; d++) {
                nc[c] += o[c][d];
            }
            n += nc[c];
            agree += o[c][c];
        }
        if (n <= 1) {
            return Double.NaN;
        }
        double sumSq = 0;
        for (int c = 0; c < k; c++) {
            sumSq += nc[c] * nc[c];
        }
        double expectedDisagreement = (n * n - sumSq) / (n * (n - 1));
        double observedDisagreement = (n - agree) / n;
        return expectedDisagreement <= 1e-12 ? Double.NaN : 1 - observedDisagreement / expectedDisagreement;
    }

    /** Krippendorff's α (nominal) with a 95 % percentile bootstrap interval over pairable units. */
    public static <T> Interval krippendorffAlphaInterval(List<? extends List<T>> units) {
        List<List<T>> pairable = new ArrayList<>();
        for (List<T> u : units) {
            if (u.stream().filter(Objects::nonNull).count() >= 2) {
                pairable.add(u);
            }
        }
        return bootstrap(pairable, Agreement::krippendorffAlpha);
    }

    /** The statistic on all units, and the 2.5th and 97.5th percentiles of it over resampled units. */
    static <U> Interval bootstrap(List<U> units, ToDoubleFunction<List<U>> stat) {
        int n = units.size();
        if (n == 0) {
            return Interval.empty();
        }
        double est = stat.applyAsDouble(units);
        SplittableRandom rnd = new SplittableRandom(BOOTSTRAP_SEED);
        double[] reps = new double[BOOTSTRAP_REPLICATES];
        int m = 0;
        List<U> sample = new ArrayList<>(n);
        for (int b = 0; b < BOOTSTRAP_REPLICATES; b++) {
            sample.clear();
            for (int i = 0; i < n; i++) {
                sample.add(units.get(rnd.nextInt(n)));
            }
            double v = stat.applyAsDouble(sample);
            if (!Double.isNaN(v)) {
                reps[m++] = v;
            }
        }
        if (m < BOOTSTRAP_REPLICATES / 2) {
            return new Interval(est, Double.NaN, Double.NaN, n, 0.95);
        }
        double[] sorted = java.util.Arrays.copyOf(reps, m);
        java.util.Arrays.sort(sorted);
        return new Interval(est, percentile(sorted, 0.025), percentile(sorted, 0.975), n, 0.95);
    }

    private static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}
