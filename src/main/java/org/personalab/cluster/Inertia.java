package org.personalab.cluster;

/** Sum of squared distances of rows to their centroid, in double, summed block by block in order. */
final class Inertia {

    private Inertia() {
    }

    static double of(float[] x, int n, int d, float[] centroids, int[] labels) {
        int blocks = Blocks.count(n);
        double[] part = new double[blocks];
        Blocks.run(blocks, b -> {
            double s = 0;
            for (int r = b * Blocks.ROWS, end = Math.min(n, r + Blocks.ROWS); r < end; r++) {
                s += Kernels.exactSq(x, r * d, centroids, labels[r] * d, d);
            }
            part[b] = s;
        });
        double total = 0;
        for (double v : part) {
            total += v;
        }
        return total;
    }
}
