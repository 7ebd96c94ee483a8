package org.personalab.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.personalab.task.TaskContext;

class ClusterQualityTest {

    @Test
    void adjustedRandIndexMatchesKnownValues() {
        // values from sklearn.metrics.adjusted_rand_score
        assertEquals(1.0, AdjustedRand.of(new int[] {0, 0, 1, 1}, new int[] {1, 1, 0, 0}), 1e-12);
        assertEquals(0.5714285714285715, AdjustedRand.of(new int[] {0, 0, 1, 1}, new int[] {0, 0, 1, 2}), 1e-12);
        assertEquals(0.0, AdjustedRand.of(new int[] {0, 0, 0, 0}, new int[] {0, 1, 2, 3}), 1e-12);
        assertEquals(-0.5, AdjustedRand.of(new int[] {0, 0, 1, 1}, new int[] {0, 1, 0, 1}), 1e-12);
        assertEquals(1.0, AdjustedRand.of(new int[] {2, 2, 2}, new int[] {0, 0, 0}), 1e-12);
        // independent random labelings: about 0
        SplittableRandom rnd = new SplittableRandom(1);
        int[] a = new int[20000];
        int[] b = new int[20000];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextInt(5);
            b[i] = rnd.nextInt(7);
        }
        assertEquals(0.0, AdjustedRand.of(a, b), 0.01);
    }

    @Test
    void silhouetteMatchesAHandComputedExampleAndABruteForceOne() {
        float[] x = {0, 1, 10, 11};
        double expected = (9.5 / 10.5 + 8.5 / 9.5 + 8.5 / 9.5 + 9.5 / 10.5) / 4;
        assertEquals(expected, Silhouette.of(x, 4, 1, new int[] {0, 0, 1, 1}, new int[] {0, 1, 2, 3}), 1e-6);

        ClusterTestData t = ClusterTestData.blobs(600, 7, 4, 6, 5);
        int[] all = Silhouette.sample(t.n, 10_000, 3);
        assertEquals(t.n, all.length);
        assertEquals(bruteForce(t.x, t.n, t.d, t.truth), Silhouette.of(t.x, t.n, t.d, t.truth, all), 1e-4);
        // a sample is a subset of distinct rows, the same for the same seed
        int[] s1 = Silhouette.sample(t.n, 100, 9);
        assertEquals(100, java.util.Arrays.stream(s1).distinct().count());
        assertTrue(java.util.Arrays.equals(s1, Silhouette.sample(t.n, 100, 9)));
        assertTrue(Double.isNaN(Silhouette.of(t.x, t.n, t.d, new int[t.n], all)), "one cluster: undefined");
    }

    private static double bruteForce(float[] x, int n, int d, int[] labels) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            double[] sum = new double[10];
            int[] cnt = new int[10];
            for (int j = 0; j < n; j++) {
                if (i == j) {
                    continue;
                }
                double s = 0;
                for (int q = 0; q < d; q++) {
                    double v = x[i * d + q] - x[j * d + q];
                    s += v * v;
                }
                sum[labels[j]] += Math.sqrt(s);
                cnt[labels[j]]++;
            }
            double a = sum[labels[i]] / cnt[labels[i]];
            double b = Double.POSITIVE_INFINITY;
            for (int c = 0; c < 10; c++) {
                if (c != labels[i] && cnt[c] > 0) {
                    b = Math.min(b, sum[c] / cnt[c]);
                }
            }
            total += (b - a) / Math.max(a, b);
        }
        return total / n;
    }

    @Test
    void pcaFindsTheMainAxisAndExplainsTheVariance() {
        int n = 5000;
        float[] x = new float[n * 3];
        SplittableRandom rnd = new SplittableRandom(4);
        for (int r = 0; r < n; r++) {
            double t = ClusterTestData.gaussian(rnd) * 3;
            x[r * 3] = (float) (2 * t + 5 + 0.1 * ClusterTestData.gaussian(rnd));
            x[r * 3 + 1] = (float) (t - 1 + 0.1 * ClusterTestData.gaussian(rnd));
            x[r * 3 + 2] = (float) (0.1 * ClusterTestData.gaussian(rnd));
        }
        Pca p = Pca.fit(x, n, 3, Pca.DEFAULT_MAX_ROWS);
        double[] v = p.components()[0];
        assertEquals(2 / Math.sqrt(5), Math.abs(v[0]), 1e-3);
        assertEquals(1 / Math.sqrt(5), Math.abs(v[1]), 1e-3);
        assertTrue(v[0] > 0, "sign fixed: largest component positive");
        assertTrue(p.explainedRatio()[0] > 0.99, "one axis carries nearly everything");
        assertEquals(1.0, p.explainedRatio()[0] + p.explainedRatio()[1] + p.explainedRatio()[2], 1e-9);
        assertEquals(5.0, p.mean()[0], 0.3);
        float[] xy = p.project(x, n, 3, 2);
        double m = 0;
        for (int r = 0; r < n; r++) {
            m += xy[2 * r];
        }
        assertEquals(0, m / n, 1e-3, "projections are centred");
        // eigen-decomposition of a known matrix
        SymmetricEigen e = SymmetricEigen.of(new double[][] {{2, 1, 0}, {1, 2, 0}, {0, 0, 5}});
        assertEquals(5, e.values[0], 1e-12);
        assertEquals(3, e.values[1], 1e-12);
        assertEquals(1, e.values[2], 1e-12);
        assertEquals(1 / Math.sqrt(2), e.vectors[1][0], 1e-12);
        assertEquals(1 / Math.sqrt(2), e.vectors[1][1], 1e-12);
    }

    @Test
    void kSelectionPeaksInSilhouetteAtTheTrueNumberOfBlobs() {
        ClusterTestData t = ClusterTestData.blobs(3000, 6, 4, 40, 12);
        List<KSelection.Point> pts = KSelection.compute(t.x, t.n, t.d, 2, 7, new KMeansParams(2, 3, 300, 1e-4, 1),
                1500, TaskContext.none());
        assertEquals(6, pts.size());
        KSelection.Point best = pts.stream().max((a, b) -> Double.compare(a.silhouette(), b.silhouette()))
                .orElseThrow();
        assertEquals(4, best.k());
        for (int i = 1; i < pts.size(); i++) {
            assertTrue(pts.get(i).inertia() <= pts.get(i - 1).inertia() * 1.0001, "inertia falls with k");
        }
    }

    @Test
    void clusteringReportsStabilitySilhouetteAndProjection() {
        ClusterTestData t = ClusterTestData.blobs(2000, 5, 3, 30, 6);
        FeatureMatrix f = new FeatureMatrix(t.x, t.n, t.d, List.of("a", "b", "c", "d", "e"), new double[5],
                new double[] {1, 1, 1, 1, 1}, List.of(), FeatureSpec.DEFAULT);
        Clustering.Result r = Clustering.run(f, new KMeansParams(3, 2, 300, 1e-4, 3),
                new Clustering.Options(500, 2, 1000), TaskContext.none());
        assertEquals(2, r.stability().length);
        assertEquals(Clustering.StabilityBasis.SEEDS, r.stabilityBasis());
        assertEquals(1.0, r.meanStability(), 1e-9, "separated blobs: every seed agrees");
        assertTrue(r.silhouette() > 0.7, "silhouette " + r.silhouette());
        assertEquals(2 * t.n, r.xy().length);
        assertEquals(1000, r.pca().rowsUsed());
    }

    @Test
    void byDefaultStabilityComparesTheRestartsOfTheFitWithoutAnotherFit() {
        // overlapping blobs: restarts end in different partitions
        ClusterTestData t = ClusterTestData.blobs(3000, 10, 8, 3, 21);
        FeatureMatrix f = new FeatureMatrix(t.x, t.n, t.d, java.util.stream.IntStream.range(0, t.d)
                .mapToObj(j -> "x" + j).toList(), new double[t.d], new double[t.d], List.of(), FeatureSpec.DEFAULT);
        KMeansParams p = new KMeansParams(8, 4, 300, 1e-4, 5);
        Clustering.Result r = Clustering.run(f, p, Clustering.Options.DEFAULT, TaskContext.none());
        assertEquals(0, Clustering.Options.DEFAULT.stabilitySeeds(), "no extra fits by default");
        assertEquals(Clustering.StabilityBasis.RESTARTS, r.stabilityBasis());
        int kept = r.kmeans().bestRestart();
        int[] compared = r.comparedRestarts();
        assertEquals(p.nInit() - 1, compared.length);
        for (int j = 0; j < compared.length; j++) {
            assertTrue(compared[j] != kept, "the kept restart is not compared with itself");
            assertEquals(r.kmeans().restartAgreement()[compared[j]], r.stability()[j]);
        }
        assertTrue(r.meanStability() < 1, "overlapping blobs: some restart disagrees, " + r.meanStability());
        // the clustering itself is the one fitted without the comparison
        KMeansResult plain = KMeans.fit(f, p, TaskContext.none());
        assertArrayEquals(plain.labels(), r.kmeans().labels());
        assertEquals(0, plain.restartAgreement().length, "not asked for, not computed");

        Clustering.Result one = Clustering.run(f, new KMeansParams(8, 1, 300, 1e-4, 5), Clustering.Options.DEFAULT,
                TaskContext.none());
        assertEquals(Clustering.StabilityBasis.NONE, one.stabilityBasis());
        assertTrue(Double.isNaN(one.meanStability()), "one restart and no seeds: nothing to compare");
    }
}
