package org.personalab.profile;

import java.util.Arrays;

/**
 * The exact distribution of one scale's scores in one norm group, as distinct values with counts. IPIP-NEO scores
 * are means of small integers, so there are few distinct values and this is both exact and compact. Quantiles follow
 * numpy's default ("linear") definition, the one the seed project used.
 */
public final class ScaleDistribution {

    private final float[] values;
    private final int[] counts;
    /** cumulative[i] = number of scores strictly below values[i]. */
    private final long[] below;
    private final long n;

    public ScaleDistribution(float[] values, int[] counts) {
        if (values.length != counts.length) {
            throw new IllegalArgumentException("values and counts differ in length");
        }
        for (int i = 1; i < values.length; i++) {
            if (!(values[i] > values[i - 1])) {
                throw new IllegalArgumentException("values must be strictly increasing");
            }
        }
        this.values = values;
        this.counts = counts;
        below = new long[values.length];
        long c = 0;
        for (int i = 0; i < values.length; i++) {
            below[i] = c;
            c += counts[i];
        }
        n = c;
    }

    public static final ScaleDistribution EMPTY = new ScaleDistribution(new float[0], new int[0]);

    /** Number of (non-missing) scores. */
    public long n() {
        return n;
    }

    public float[] values() {
        return values.clone();
    }

    public int[] counts() {
        return counts.clone();
    }

    /** The score with 0-based rank {@code r} in sorted order. */
    private float at(long r) {
        int i = Arrays.binarySearch(below, r);
        if (i < 0) {
            i = -i - 2;
        }
        return values[i];
    }

    /** numpy.percentile(scores, p) with linear interpolation; NaN when empty. */
    public double quantile(double percent) {
        if (n == 0) {
            return Double.NaN;
        }
        double h = (n - 1) * percent / 100.0;
        long lo = (long) Math.floor(h);
        long hi = Math.min(n - 1, lo + 1);
        double a = at(lo);
        double b = at(hi);
        return a + (h - lo) * (b - a);
    }

    /** Mid-rank percentile of a score: 100 × (count below + half the count equal) / n. NaN when empty or x is NaN. */
    public double percentileRank(double x) {
        if (n == 0 || Double.isNaN(x)) {
            return Double.NaN;
        }
        int i = Arrays.binarySearch(values, (float) x);
        long less;
        long equal;
        if (i >= 0) {
            less = below[i];
            equal = counts[i];
        } else {
            int ins = -i - 1;
            less = ins < values.length ? below[ins] : n;
            equal = 0;
        }
        return 100.0 * (less + 0.5 * equal) / n;
    }

    public double mean() {
        double s = 0;
        for (int i = 0; i < values.length; i++) {
            s += (double) values[i] * counts[i];
        }
        return n == 0 ? Double.NaN : s / n;
    }
}
