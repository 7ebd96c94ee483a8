package org.personalab.profile;

import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;

/**
 * Norms of one group: how many people it has, each scale's exact distribution, and the level cut values.
 *
 * @param people number of people in the group (with or without a given score)
 * @param scales one distribution per {@link Scale}, in Scale order
 * @param cuts   {@code cuts[scale][0..3]} = score at each cut percentile
 */
public record GroupNorms(int people, ScaleDistribution[] scales, float[][] cuts) {

    public static GroupNorms of(int people, ScaleDistribution[] scales, NormSpec spec) {
        double[] cp = spec.cutPoints();
        float[][] cuts = new float[Scale.COUNT][4];
        for (int s = 0; s < Scale.COUNT; s++) {
            for (int c = 0; c < 4; c++) {
                cuts[s][c] = (float) scales[s].quantile(cp[c]);
            }
        }
        return new GroupNorms(people, scales, cuts);
    }

    public ScaleDistribution distribution(Scale s) {
        return scales[s.ordinal()];
    }

    /** Level code of a score on scale {@code s}, {@link Level#NONE} for a missing score or an empty distribution. */
    public byte levelCode(int s, float score) {
        float[] c = cuts[s];
        if (score != score || c[0] != c[0]) {
            return Level.NONE;
        }
        if (score < c[0]) {
            return 0;
        }
        if (score < c[1]) {
            return 1;
        }
        if (score < c[2]) {
            return 2;
        }
        if (score < c[3]) {
            return 3;
        }
        return 4;
    }
}
