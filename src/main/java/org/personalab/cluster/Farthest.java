package org.personalab.cluster;

import java.util.Arrays;

/** The rows farthest from their assigned centroid, for refilling empty clusters. */
final class Farthest {

    private Farthest() {
    }

    /**
     * The {@code m} rows with the largest squared distance to {@code centroids[label]}, farthest first.
     */
    static int[] rows(Data data, float[] centroids, int[] label, int m) {
        int n = data.n;
        int d = data.d;
        int blocks = Blocks.count(n);
        long[][] best = new long[blocks][];
        double[][] bestD = new double[blocks][];
        Blocks.run(blocks, b -> {
            int r0 = b * Blocks.ROWS;
            int r1 = Math.min(n, r0 + Blocks.ROWS);
            double[] dist = new double[r1 - r0];
            Integer[] idx = new Integer[r1 - r0];
            for (int r = r0; r < r1; r++) {
                dist[r - r0] = Kernels.exactSq(data.x, r * d, centroids, label[r] * d, d);
                idx[r - r0] = r;
            }
            Arrays.sort(idx, (p, q) -> {
                int cmp = Double.compare(dist[q - r0], dist[p - r0]);
                return cmp != 0 ? cmp : Integer.compare(p, q);
            });
            int take = Math.min(m, idx.length);
            best[b] = new long[take];
            bestD[b] = new double[take];
            for (int i = 0; i < take; i++) {
                best[b][i] = idx[i];
                bestD[b][i] = dist[idx[i] - r0];
            }
        });
        int total = 0;
        for (long[] l : best) {
            total += l.length;
        }
        Integer[] all = new Integer[total];
        int[] rowOf = new int[total];
        double[] dOf = new double[total];
        int p = 0;
        for (int b = 0; b < blocks; b++) {
            for (int i = 0; i < best[b].length; i++) {
                rowOf[p] = (int) best[b][i];
                dOf[p] = bestD[b][i];
                all[p] = p;
                p++;
            }
        }
        Arrays.sort(all, (a, c) -> {
            int cmp = Double.compare(dOf[c], dOf[a]);
            return cmp != 0 ? cmp : Integer.compare(rowOf[a], rowOf[c]);
        });
        int[] out = new int[Math.min(m, total)];
        for (int i = 0; i < out.length; i++) {
            out[i] = rowOf[all[i]];
        }
        return out;
    }
}
