package org.personalab.cluster;

import java.util.SplittableRandom;

/** Synthetic point sets for the clustering tests. */
final class ClusterTestData {

    final float[] x;
    final int n;
    final int d;
    final int[] truth;

    private ClusterTestData(float[] x, int n, int d, int[] truth) {
        this.x = x;
        this.n = n;
        this.d = d;
        this.truth = truth;
    }

    /**
     * {@code k} Gaussian blobs (unit variance) whose centres are drawn uniformly in a cube of side {@code spread};
     * row r belongs to blob r mod k, shuffled.
     */
    static ClusterTestData blobs(int n, int d, int k, double spread, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] centres = new double[k][d];
        for (double[] c : centres) {
            for (int j = 0; j < d; j++) {
                c[j] = (rnd.nextDouble() - 0.5) * spread;
            }
        }
        float[] x = new float[n * d];
        int[] truth = new int[n];
        for (int r = 0; r < n; r++) {
            int c = rnd.nextInt(k);
            truth[r] = c;
            for (int j = 0; j < d; j++) {
                x[r * d + j] = (float) (centres[c][j] + gaussian(rnd));
            }
        }
        return new ClusterTestData(x, n, d, truth);
    }

    static double gaussian(SplittableRandom rnd) {
        double u = 1 - rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
