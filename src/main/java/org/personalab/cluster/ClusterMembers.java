package org.personalab.cluster;

/**
 * Everyone in a clustering, in dataset row order: workspace respondent id, cluster and 2D projection.
 */
public record ClusterMembers(long[] respondentIds, int[] clusters, float[] x, float[] y) {

    public ClusterMembers {
        int n = respondentIds.length;
        if (clusters.length != n || x.length != n || y.length != n) {
            throw new IllegalArgumentException("member columns differ in length");
        }
    }

    public int size() {
        return respondentIds.length;
    }
}
