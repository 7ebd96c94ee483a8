package org.personalab.cluster;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Mean silhouette coefficient on a random sample of rows, as scikit-learn's {@code silhouette_score(...,
 * sample_size=s)}: the sample's rows are scored against the other sampled rows only. For a row, a = mean distance
 * to the others of its cluster, b = the smallest mean distance to another cluster, s = (b − a) / max(a, b); a row
 * alone in its cluster (within the sample) scores 0.
 */
public final class Silhouette {

    private Silhouette() {
    }

    /** Rows of a sample of {@code size} rows out of n, drawn without replacement from the seed, ascending. */
    public static int[] sample(int n, int size, long seed) {
        int s = Math.min(n, size);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < s; i++) {
            int j = i + rng.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] out = Arrays.copyOf(idx, s);
        Arrays.sort(out);
        return out;
    }

    /** Mean silhouette of the sampled rows; NaN when the sample holds fewer than two clusters. */
    public static double of(float[] x, int n, int d, int[] labels, int[] rows) {
        int s = rows.length;
        int k = 0;
        for (int r : rows) {
            k = Math.max(k, labels[r] + 1);
        }
        int[] count = new int[k];
        for (int r : rows) {
            count[labels[r]]++;
        }
        int present = 0;
        for (int c : count) {
            present += c > 0 ? 1 : 0;
        }
        if (present < 2) {
            return Double.NaN;
        }
        double[] mean = Pca.columnMeans(x, n, d);
        float[] sx = new float[s * d];
        float[] norms = new float[s];
        for (int i = 0; i < s; i++) {
            double nn = 0;
            for (int j = 0; j < d; j++) {
                float v = (float) (x[rows[i] * d + j] - mean[j]);
                sx[i * d + j] = v;
                nn += (double) v * v;
            }
            norms[i] = (float) nn;
        }
        int sp = Kernels.padded(s);
        float[][] t = Kernels.transpose(sx, s, d, sp);
        double[] score = new double[s];
        int blocks = Blocks.count(s, 64);
        final int kk = k;
        Blocks.run(blocks, b -> {
            float[] acc = new float[sp];
            double[] sum = new double[kk];
            for (int i = b * 64, end = Math.min(s, i + 64); i < end; i++) {
                Kernels.axpyRows(sx, i * d, d, t, 0, sp, acc, false);
                Arrays.fill(sum, 0);
                for (int j = 0; j < s; j++) {
                    if (j != i) {
                        sum[labels[rows[j]]] += Math.sqrt(Kernels.sq(norms[i], norms[j], acc[j]));
                    }
                }
                int own = labels[rows[i]];
                if (count[own] <= 1) {
                    score[i] = 0;
                    continue;
                }
                double a = sum[own] / (count[own] - 1);
                double bMin = Double.POSITIVE_INFINITY;
                for (int c = 0; c < kk; c++) {
                    if (c != own && count[c] > 0) {
                        bMin = Math.min(bMin, sum[c] / count[c]);
                    }
                }
                double m = Math.max(a, bMin);
                score[i] = m == 0 ? 0 : (bMin - a) / m;
            }
        });
        double total = 0;
        for (double v : score) {
            total += v;
        }
        return total / s;
    }
}
