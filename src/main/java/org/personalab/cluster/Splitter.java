package org.personalab.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Draws split sets from cluster labels. Random draws shuffle each cluster's members (in row order) with a
 * generator seeded from (seed, cluster), so the result depends only on the labels, the plan and the seed.
 */
public final class Splitter {

    private Splitter() {
    }

    /**
     * @param features  the clustering's feature matrix (row-major, {@code n × d}); needed for representatives only
     * @param centroids the clustering's centroids ({@code k × d}); needed for representatives only
     */
    public static SplitAssignment draw(int[] labels, int k, SplitPlan plan, long seed, float[] features, int d,
            float[] centroids) {
        int[][] members = members(labels, k);
        int[] split = new int[labels.length];
        Arrays.fill(split, -1);
        int ns = plan.names().size();
        int[][] planned = new int[k][ns];
        List<Integer> skipped = new ArrayList<>();
        if (plan instanceof SplitPlan.Representatives rep) {
            if (features == null || centroids == null || centroids.length != k * d) {
                throw new IllegalArgumentException("representatives need the features and the k centroids");
            }
            for (int c = 0; c < k; c++) {
                int[] order = byDistance(members[c], features, d, centroids, c);
                int take = Math.min(rep.perCentroid(), order.length);
                planned[c][0] = take;
                for (int i = 0; i < order.length; i++) {
                    if (i < take) {
                        split[order[i]] = 0;
                    } else if (rep.rest() != null) {
                        split[order[i]] = 1;
                        planned[c][1]++;
                    }
                }
            }
            return new SplitAssignment(plan.names(), split, planned, skipped);
        }
        for (int c = 0; c < k; c++) {
            int size = members[c].length;
            int[] want = switch (plan) {
                case SplitPlan.PerCluster p -> perCluster(p.counts(), size);
                case SplitPlan.Fractions f -> fractions(f.fractions(), size);
                case SplitPlan.Proportional p -> null;
                case SplitPlan.Representatives r -> throw new IllegalStateException();
            };
            if (want != null) {
                planned[c] = want;
            }
        }
        if (plan instanceof SplitPlan.Proportional p) {
            planned = proportional(p.totals(), members, labels.length);
        }
        for (int c = 0; c < k; c++) {
            int need = Arrays.stream(planned[c]).sum();
            if (plan instanceof SplitPlan.PerCluster && need == 0) {
                skipped.add(c);
                continue;
            }
            int[] shuffled = shuffled(members[c], seed, c);
            int p = 0;
            for (int s = 0; s < ns; s++) {
                for (int i = 0; i < planned[c][s]; i++) {
                    split[shuffled[p++]] = s;
                }
            }
        }
        return new SplitAssignment(plan.names(), split, planned, skipped);
    }

    /** Row indices of each cluster, ascending. */
    static int[][] members(int[] labels, int k) {
        int[] count = new int[k];
        for (int l : labels) {
            if (l < 0 || l >= k) {
                throw new IllegalArgumentException("label " + l + " outside 0.." + (k - 1));
            }
            count[l]++;
        }
        int[][] out = new int[k][];
        for (int c = 0; c < k; c++) {
            out[c] = new int[count[c]];
        }
        int[] fill = new int[k];
        for (int r = 0; r < labels.length; r++) {
            out[labels[r]][fill[labels[r]]++] = r;
        }
        return out;
    }

    private static int[] perCluster(Map<String, Integer> counts, int size) {
        int[] want = counts.values().stream().mapToInt(Integer::intValue).toArray();
        return Arrays.stream(want).sum() <= size ? want : new int[want.length];
    }

    /** Floor of each fraction of the cluster, then the remaining people by largest remainder (ties: first split). */
    private static int[] fractions(Map<String, Double> fractions, int size) {
        double[] f = fractions.values().stream().mapToDouble(Double::doubleValue).toArray();
        double total = Arrays.stream(f).sum();
        int target = (int) Math.round(Math.min(1.0, total) * size);
        return largestRemainder(f, size, target);
    }

    private static int[] largestRemainder(double[] weights, double scale, int target) {
        int n = weights.length;
        int[] out = new int[n];
        double[] rem = new double[n];
        int sum = 0;
        for (int i = 0; i < n; i++) {
            double exact = weights[i] * scale;
            out[i] = (int) Math.floor(exact + 1e-9);
            rem[i] = exact - out[i];
            sum += out[i];
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> rem[a] != rem[b] ? Double.compare(rem[b], rem[a]) : Integer.compare(a, b));
        for (int i = 0; sum < target && i < n; i++) {
            out[order[i]]++;
            sum++;
        }
        return out;
    }

    /** Totals shared over clusters in proportion to size (largest remainder), capped by what each cluster has. */
    private static int[][] proportional(Map<String, Integer> totals, int[][] members, int n) {
        int k = members.length;
        int[] t = totals.values().stream().mapToInt(Integer::intValue).toArray();
        int all = Arrays.stream(t).sum();
        if (all > n) {
            throw new IllegalArgumentException("the splits ask for " + all + " people; the clustering has " + n);
        }
        int[][] planned = new int[k][t.length];
        double[] share = new double[k];
        for (int c = 0; c < k; c++) {
            share[c] = (double) members[c].length / n;
        }
        int[] left = new int[k];
        for (int c = 0; c < k; c++) {
            left[c] = members[c].length;
        }
        for (int s = 0; s < t.length; s++) {
            int[] per = largestRemainder(share, t[s], t[s]);
            for (int c = 0; c < k; c++) {
                int take = Math.min(per[c], left[c]);
                planned[c][s] = take;
                left[c] -= take;
            }
            int missing = t[s] - sumColumn(planned, s);
            for (int c = 0; missing > 0; c = (c + 1) % k) {
                if (left[c] > 0) {
                    planned[c][s]++;
                    left[c]--;
                    missing--;
                }
            }
        }
        return planned;
    }

    private static int sumColumn(int[][] m, int s) {
        int v = 0;
        for (int[] row : m) {
            v += row[s];
        }
        return v;
    }

    private static int[] shuffled(int[] rows, long seed, int cluster) {
        int[] a = rows.clone();
        SplittableRandom rng = new SplittableRandom(KMeans.restartSeed(seed, cluster));
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** The cluster's rows by distance to its centroid, nearest first (ties: lower row first). */
    static int[] byDistance(int[] rows, float[] x, int d, float[] centroids, int c) {
        double[] dist = new double[rows.length];
        Integer[] idx = new Integer[rows.length];
        for (int i = 0; i < rows.length; i++) {
            dist[i] = Kernels.exactSq(x, rows[i] * d, centroids, c * d, d);
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> dist[a] != dist[b] ? Double.compare(dist[a], dist[b]) : Integer.compare(a, b));
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[idx[i]];
        }
        return out;
    }
}
