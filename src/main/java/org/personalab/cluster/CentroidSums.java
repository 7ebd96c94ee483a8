package org.personalab.cluster;

import java.util.Arrays;

/**
 * Per-cluster sums (double) and counts of one k-means run, kept current from the rows that change cluster. Each
 * chunk of rows collects its own changes while its rows are in cache; {@link #fold} then adds the chunks in chunk
 * order, so the sums are the same on any number of threads.
 */
final class CentroidSums {

    final double[] sums;
    final int[] counts;
    private final int k;
    private final int d;
    private final double[][] delta;
    private final int[][] countDelta;
    private final boolean[][] touched;

    CentroidSums(int k, int d, int chunks) {
        this.k = k;
        this.d = d;
        this.sums = new double[k * d];
        this.counts = new int[k];
        this.delta = new double[chunks][];
        this.countDelta = new int[chunks][];
        this.touched = new boolean[chunks][];
    }

    /** Row {@code row} of {@code x} left cluster {@code from} (-1: none) for {@code to}; only chunk ch's thread. */
    void moved(int ch, float[] x, int row, int from, int to) {
        double[] dl = delta[ch];
        if (dl == null) {
            dl = delta[ch] = new double[k * d];
            countDelta[ch] = new int[k];
            touched[ch] = new boolean[k];
        }
        int xo = row * d;
        if (from >= 0) {
            int fo = from * d;
            for (int j = 0; j < d; j++) {
                dl[fo + j] -= x[xo + j];
            }
            countDelta[ch][from]--;
            touched[ch][from] = true;
        }
        int to0 = to * d;
        for (int j = 0; j < d; j++) {
            dl[to0 + j] += x[xo + j];
        }
        countDelta[ch][to]++;
        touched[ch][to] = true;
    }

    /** Adds every chunk's changes to the sums, chunk by chunk in order, and clears them. */
    void fold() {
        for (int ch = 0; ch < delta.length; ch++) {
            double[] dl = delta[ch];
            if (dl == null) {
                continue;
            }
            for (int c = 0; c < k; c++) {
                if (!touched[ch][c]) {
                    continue;
                }
                int o = c * d;
                for (int j = 0; j < d; j++) {
                    sums[o + j] += dl[o + j];
                }
                Arrays.fill(dl, o, o + d, 0.0);
                counts[c] += countDelta[ch][c];
                countDelta[ch][c] = 0;
                touched[ch][c] = false;
            }
        }
        for (int c = 0; c < k; c++) {
            if (counts[c] == 0) {
                Arrays.fill(sums, c * d, (c + 1) * d, 0.0); // no rounding residue in an empty cluster
            }
        }
    }

    /** Moves one row from cluster {@code from} to {@code to} directly (outside a pass). */
    void move(float[] x, int row, int from, int to) {
        if (counts[to] == 0) {
            Arrays.fill(sums, to * d, (to + 1) * d, 0.0);
        }
        counts[from]--;
        counts[to]++;
        int xo = row * d;
        for (int j = 0; j < d; j++) {
            sums[from * d + j] -= x[xo + j];
            sums[to * d + j] += x[xo + j];
        }
    }

    /**
     * New centroids (mean of the members; a still-empty cluster keeps its old centroid), with each centroid's
     * drift written to {@code drift}; returns the squared Frobenius norm of the shift.
     */
    double centroids(float[] old, float[] next, float[] drift) {
        double total = 0;
        for (int i = 0; i < k; i++) {
            int o = i * d;
            double sq = 0;
            for (int j = 0; j < d; j++) {
                float v = counts[i] > 0 ? (float) (sums[o + j] / counts[i]) : old[o + j];
                next[o + j] = v;
                double diff = (double) v - old[o + j];
                sq += diff * diff;
            }
            drift[i] = (float) Math.sqrt(sq);
            total += sq;
        }
        return total;
    }
}
