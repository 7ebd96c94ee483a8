package org.personalab.judge;

/**
 * An estimate with a confidence interval.
 *
 * @param n     how many units (pairs, judgments) it rests on
 * @param level the interval's coverage, e.g. 0.95
 */
public record Interval(double estimate, double low, double high, int n, double level) {

    public static Interval empty() {
        return new Interval(Double.NaN, Double.NaN, Double.NaN, 0, 0.95);
    }

    /** Wilson's score interval for a proportion {@code k/n} (95 % by default). */
    public static Interval wilson(int k, int n) {
        if (n == 0) {
            return empty();
        }
        double z = 1.959963984540054;
        double p = (double) k / n;
        double d = 1 + z * z / n;
        double centre = (p + z * z / (2.0 * n)) / d;
        double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / d;
        return new Interval(p, Math.max(0, centre - half), Math.min(1, centre + half), n, 0.95);
    }

    @Override
    public String toString() {
        return Double.isNaN(estimate) ? "n/a (n = 0)" : String.format(java.util.Locale.ROOT,
                "%.3f [%.3f, %.3f] (n = %d)", estimate, low, high, n);
    }
}
