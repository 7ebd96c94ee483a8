package org.personalab.cluster;

/**
 * The kept restart of a k-means fit.
 *
 * @param k                clusters
 * @param dims             features
 * @param centroids        {@code k × dims} row-major, in feature space
 * @param labels           cluster 0..k-1 of every row
 * @param inertia          sum of squared distances of rows to their centroid (double precision)
 * @param iterations       Lloyd iterations of the kept restart
 * @param converged        whether it stopped by tolerance or unchanged labels rather than the iteration limit
 * @param sizes            people per cluster
 * @param bestRestart      index of the kept restart
 * @param restartInertias  inertia of every restart (from its cluster sums; the kept one's {@link #inertia} is summed
 *                         row by row)
 * @param distanceFraction exact distance computations done ÷ those plain Lloyd would have done, over all restarts
 * @param restartAgreement adjusted Rand index of every restart's labels with the kept restart's (1 at
 *                         {@link #bestRestart}) when {@code KMeans.fitMany} was asked for it; empty otherwise
 * @param timings          where the time of the whole fit went (shared by all parameter sets fitted together)
 */
public record KMeansResult(int k, int dims, float[] centroids, int[] labels, double inertia, int iterations,
        boolean converged, int[] sizes, int bestRestart, double[] restartInertias, double distanceFraction,
        double[] restartAgreement, Timings timings) {

    /**
     * Seconds spent preparing the rows (projection, transposition), seeding (k-means++), and iterating, and the
     * number of passes over the rows the iterations took.
     */
    public record Timings(double prepare, double seeding, double iterations, int passes) {
    }

    public float[] centroid(int c) {
        float[] out = new float[dims];
        System.arraycopy(centroids, c * dims, out, 0, dims);
        return out;
    }
}
