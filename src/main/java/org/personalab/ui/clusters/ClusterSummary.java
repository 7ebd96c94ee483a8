package org.personalab.ui.clusters;

import java.util.ArrayList;
import java.util.List;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Scale;
import org.personalab.profile.ScoredDataset;

/**
 * One line of the cluster table: the cluster's size, its share of everyone, and the mean of each Big Five domain
 * score (1–5) over its members who have that score.
 *
 * @param domainMeans in {@link Domain} order; NaN when no member has the score
 */
public record ClusterSummary(int cluster, int size, double share, double[] domainMeans) {

    public double mean(Domain d) {
        return domainMeans[d.ordinal()];
    }

    /** Summaries of clusters {@code 0..k-1} for labels in dataset row order. */
    public static List<ClusterSummary> of(ScoredDataset data, int[] labels, int k) {
        int n = labels.length;
        int nd = Domain.values().length;
        int[] size = new int[k];
        double[][] sum = new double[k][nd];
        int[][] known = new int[k][nd];
        float[] scores = data.scores();
        for (int r = 0; r < n; r++) {
            int c = labels[r];
            size[c]++;
            for (Domain d : Domain.values()) {
                float s = scores[r * Scale.COUNT + Scale.of(d).ordinal()];
                if (s == s) {
                    sum[c][d.ordinal()] += s;
                    known[c][d.ordinal()]++;
                }
            }
        }
        List<ClusterSummary> out = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            double[] means = new double[nd];
            for (int d = 0; d < nd; d++) {
                means[d] = known[c][d] == 0 ? Double.NaN : sum[c][d] / known[c][d];
            }
            out.add(new ClusterSummary(c, size[c], n == 0 ? 0 : (double) size[c] / n, means));
        }
        return List.copyOf(out);
    }
}
