package org.personalab.eval;

/**
 * A mean over agents with its bootstrap confidence interval.
 *
 * @param mean the mean of the agents' values (NaN values left out)
 * @param low  lower end of the percentile bootstrap interval (NaN with fewer than 2 values)
 * @param high upper end of the interval (NaN with fewer than 2 values)
 * @param n    how many agents had a value
 */
public record Estimate(double mean, double low, double high, int n) {

    public static final Estimate EMPTY = new Estimate(Double.NaN, Double.NaN, Double.NaN, 0);

    public boolean hasInterval() {
        return !Double.isNaN(low) && !Double.isNaN(high);
    }

    public boolean contains(double x) {
        return hasInterval() && x >= low && x <= high;
    }

    /** Width of the interval, NaN without one. */
    public double width() {
        return high - low;
    }
}
