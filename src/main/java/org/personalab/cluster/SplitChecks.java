package org.personalab.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The invariants a split set must meet before it is stored: every person in at most one split (one split index
 * per row), each cluster giving exactly what the plan allots it, split sizes adding up, fractions kept within one
 * person per cluster, proportional totals met exactly, and representatives being their centroid's nearest people.
 */
public final class SplitChecks {

    private SplitChecks() {
    }

    /** Problems found (empty when all invariants hold). */
    public static List<String> verify(SplitAssignment a, int[] labels, int k, SplitPlan plan, float[] features,
            int d, float[] centroids) {
        List<String> problems = new ArrayList<>();
        int ns = a.names().size();
        if (a.split().length != labels.length) {
            problems.add("assignment covers " + a.split().length + " people, the clustering " + labels.length);
            return problems;
        }
        for (int r = 0; r < a.split().length; r++) {
            if (a.split()[r] < -1 || a.split()[r] >= ns) {
                problems.add("row " + r + " has split index " + a.split()[r]);
                return problems;
            }
        }
        int[][] got = a.byCluster(labels, k);
        int[][] members = Splitter.members(labels, k);
        for (int c = 0; c < k; c++) {
            if (!Arrays.equals(got[c], a.planned()[c])) {
                problems.add("cluster " + c + " gives " + Arrays.toString(got[c]) + ", planned "
                        + Arrays.toString(a.planned()[c]));
            }
        }
        int[] sizes = a.sizes();
        switch (plan) {
            case SplitPlan.PerCluster p -> {
                int[] want = p.counts().values().stream().mapToInt(Integer::intValue).toArray();
                int need = Arrays.stream(want).sum();
                for (int c = 0; c < k; c++) {
                    boolean small = members[c].length < need;
                    if (small != a.skipped().contains(c)) {
                        problems.add("cluster " + c + " (" + members[c].length + " people) "
                                + (small ? "should be skipped" : "was skipped"));
                    } else if (!small && !Arrays.equals(got[c], want)) {
                        problems.add("cluster " + c + " gives " + Arrays.toString(got[c]) + ", not "
                                + Arrays.toString(want));
                    }
                }
            }
            case SplitPlan.Proportional p -> {
                int s = 0;
                for (int t : p.totals().values()) {
                    if (sizes[s] != t) {
                        problems.add("split '" + a.names().get(s) + "' has " + sizes[s] + " people, not " + t);
                    }
                    s++;
                }
            }
            case SplitPlan.Fractions f -> {
                double[] fr = f.fractions().values().stream().mapToDouble(Double::doubleValue).toArray();
                for (int c = 0; c < k; c++) {
                    for (int s = 0; s < ns; s++) {
                        double exact = fr[s] * members[c].length;
                        if (Math.abs(got[c][s] - exact) >= 1.0 + 1e-9) {
                            problems.add("cluster " + c + " gives split '" + a.names().get(s) + "' " + got[c][s]
                                    + " people for a share of " + exact);
                        }
                    }
                }
            }
            case SplitPlan.Representatives rep -> checkRepresentatives(a, rep, members, features, d, centroids,
                    problems);
        }
        return problems;
    }

    private static void checkRepresentatives(SplitAssignment a, SplitPlan.Representatives rep, int[][] members,
            float[] x, int d, float[] centroids, List<String> problems) {
        for (int c = 0; c < members.length; c++) {
            double chosenMax = Double.NEGATIVE_INFINITY;
            double otherMin = Double.POSITIVE_INFINITY;
            int chosen = 0;
            for (int r : members[c]) {
                double dist = Kernels.exactSq(x, r * d, centroids, c * d, d);
                if (a.split()[r] == 0) {
                    chosen++;
                    chosenMax = Math.max(chosenMax, dist);
                } else {
                    otherMin = Math.min(otherMin, dist);
                    if (rep.rest() != null && a.split()[r] != 1) {
                        problems.add("row " + r + " is in no split although the rest goes to '" + rep.rest() + "'");
                    }
                }
            }
            if (chosen != Math.min(rep.perCentroid(), members[c].length)) {
                problems.add("cluster " + c + " has " + chosen + " representatives, not "
                        + Math.min(rep.perCentroid(), members[c].length));
            }
            if (chosenMax > otherMin) {
                problems.add("cluster " + c + ": a representative is farther from the centroid (" + chosenMax
                        + ") than a member left out (" + otherMin + ")");
            }
        }
    }
}
