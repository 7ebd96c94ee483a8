package org.personalab.cluster;

import java.util.List;

/**
 * The outcome of drawing a split set: for every row of the dataset the index of its split in {@link #names}, or -1
 * when the row is in none. One value per row is what makes the splits disjoint.
 *
 * @param names    split names
 * @param split    per row: split index or -1
 * @param planned  {@code planned[c][s]}: how many people cluster c was to give split s
 * @param skipped  clusters that gave nobody because they were too small
 */
public record SplitAssignment(List<String> names, int[] split, int[][] planned, List<Integer> skipped) {

    /** People in each split. */
    public int[] sizes() {
        int[] out = new int[names.size()];
        for (int s : split) {
            if (s >= 0) {
                out[s]++;
            }
        }
        return out;
    }

    /** {@code [c][s]}: people of cluster c in split s. */
    public int[][] byCluster(int[] labels, int k) {
        int[][] out = new int[k][names.size()];
        for (int r = 0; r < split.length; r++) {
            if (split[r] >= 0) {
                out[labels[r]][split[r]]++;
            }
        }
        return out;
    }
}
