package org.personalab.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap confidence intervals for a mean over agents: resample the agents with replacement
 * {@code resamples} times, take the mean of each resample, and report the {@code (1 - level) / 2} and
 * {@code (1 + level) / 2} quantiles of those means (linear interpolation, numpy's default). The agent is the unit:
 * items of one agent are not independent, agents are. Seeded, so the same values give the same interval.
 * NaN values (agents for which the metric does not exist) are left out before resampling. The resampled indices
 * depend only on the seed and the number of values, so they are drawn once and reused ({@link Draws}).
 *
 * @param resamples number of bootstrap resamples (default 2,000)
 * @param level     coverage, e.g. 0.95
 * @param seed      random seed
 */
public record Bootstrap(int resamples, double level, long seed) {

    public static final int DEFAULT_RESAMPLES = 2000;
    public static final double DEFAULT_LEVEL = 0.95;

    public Bootstrap {
        if (resamples < 100) {
            throw new IllegalArgumentException("bootstrap needs at least 100 resamples, got " + resamples);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("confidence level must be in (0, 1), got " + level);
        }
    }

    public static Bootstrap withSeed(long seed) {
        return new Bootstrap(DEFAULT_RESAMPLES, DEFAULT_LEVEL, seed);
    }

    /** Mean of the non-NaN values with its percentile interval (no interval with fewer than 2 values). */
    public Estimate mean(double[] values) {
        double[] x = finite(values);
        int n = x.length;
        if (n == 0) {
            return Estimate.EMPTY;
        }
        double mean = sum(x) / n;
        if (n < 2) {
            return new Estimate(mean, Double.NaN, Double.NaN, n);
        }
        double[] means = new double[resamples];
        if (Draws.cacheIndices(resamples, n)) {
            Draws.sums(x, Draws.indices(seed, n, resamples), resamples, means);
            for (int b = 0; b < resamples; b++) {
                means[b] /= n;
            }
        } else {
            SplittableRandom rng = new SplittableRandom(seed);
            for (int b = 0; b < resamples; b++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += x[rng.nextInt(n)];
                }
                means[b] = s / n;
            }
        }
        Arrays.sort(means);
        double alpha = (1 - level) / 2;
        return new Estimate(mean, quantile(means, alpha), quantile(means, 1 - alpha), n);
    }

    /** The non-NaN values of {@code v}. */
    static double[] finite(double[] v) {
        int n = 0;
        for (double d : v) {
            if (!Double.isNaN(d)) {
                n++;
            }
        }
        double[] out = new double[n];
        int j = 0;
        for (double d : v) {
            if (!Double.isNaN(d)) {
                out[j++] = d;
            }
        }
        return out;
    }

    static double sum(double[] x) {
        double s = 0;
        for (double d : x) {
            s += d;
        }
        return s;
    }

    /** Quantile {@code q} in [0, 1] of sorted values, linear interpolation between order statistics. */
    static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
