package org.personalab.ui.browser;

import org.personalab.inventory.Scale;
import org.personalab.profile.GroupNorms;
import org.personalab.profile.NormGroup;
import org.personalab.profile.ScaleDistribution;

/**
 * What the distribution chart draws: one scale's exact score distribution in one norm group and the group's four
 * level cut points.
 *
 * @param values distinct scores, ascending
 * @param counts people per score
 * @param cuts   scores separating Very Low | Low | Medium | High | Very High
 * @param n      scores counted
 * @param people people in the group
 */
public record Histogram(Scale scale, NormGroup group, float[] values, int[] counts, float[] cuts, long n,
        double mean, int people) {

    public static Histogram of(GroupNorms norms, NormGroup group, Scale scale) {
        ScaleDistribution d = norms.distribution(scale);
        return new Histogram(scale, group, d.values(), d.counts(), norms.cuts()[scale.ordinal()].clone(), d.n(),
                d.mean(), norms.people());
    }

    /** The level (0..4) of a score against the cut points, -1 if unknown. */
    public int levelOf(float score) {
        if (score != score || cuts[0] != cuts[0]) {
            return -1;
        }
        int l = 0;
        while (l < 4 && score >= cuts[l]) {
            l++;
        }
        return l;
    }

    public int maxCount() {
        int m = 0;
        for (int c : counts) {
            m = Math.max(m, c);
        }
        return m;
    }
}
