package org.personalab.profile;

import java.util.Arrays;

/**
 * How levels are derived from a reference dataset.
 *
 * @param cutPoints     ascending percentiles separating the five levels (default 10, 30, 70, 90): a score below the
 *                      first cut is Very Low, below the second Low, below the third Medium, below the fourth High,
 *                      otherwise Very High
 * @param minCohortSize smallest number of people a sex × age cohort needs for its own percentiles (default 100).
 *                      A smaller cohort falls back to the same sex across all ages, then to everyone; a person of
 *                      unknown sex uses their age group (both sexes), then everyone; unknown age uses their sex,
 *                      then everyone. The group each person was placed with is recorded.
 */
public record NormSpec(double[] cutPoints, int minCohortSize) {

    public static final NormSpec DEFAULT = new NormSpec(new double[] {10, 30, 70, 90}, 100);

    public NormSpec {
        if (cutPoints.length != 4) {
            throw new IllegalArgumentException("need 4 cut points for 5 levels, got " + cutPoints.length);
        }
        for (int i = 0; i < 4; i++) {
            if (!(cutPoints[i] > 0 && cutPoints[i] < 100) || (i > 0 && !(cutPoints[i] > cutPoints[i - 1]))) {
                throw new IllegalArgumentException("cut points must be strictly increasing percentiles in (0, 100): "
                        + Arrays.toString(cutPoints));
            }
        }
        if (minCohortSize < 1) {
            throw new IllegalArgumentException("minCohortSize must be at least 1");
        }
        cutPoints = cutPoints.clone();
    }

    @Override
    public double[] cutPoints() {
        return cutPoints.clone();
    }

    public String describe() {
        return "levels from percentiles " + Arrays.toString(cutPoints) + " of each facet and domain within sex × age "
                + "cohorts; a cohort with fewer than " + minCohortSize + " people falls back to the same sex (all ages), "
                + "then everyone";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NormSpec s && Arrays.equals(cutPoints, s.cutPoints) && minCohortSize == s.minCohortSize;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(cutPoints) * 31 + minCohortSize;
    }

    @Override
    public String toString() {
        return "NormSpec" + Arrays.toString(cutPoints) + ", min " + minCohortSize;
    }
}
