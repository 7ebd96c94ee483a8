package org.personalab.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.personalab.task.TaskContext;

class ClusterKMeansTest {

    @Test
    void wellSeparatedBlobsAreRecoveredWithFewAndWithManyClusters() {
        // few clusters: the dense screening path; many: the per-row list bounds
        for (int[] c : new int[][] {{5, 8, 4000}, {40, 12, 8000}}) {
            ClusterTestData t = ClusterTestData.blobs(c[2], c[1], c[0], 60, 11);
            KMeansResult r = KMeans.fit(t.x, t.n, t.d, new KMeansParams(c[0], 3, 300, 1e-4, 5), TaskContext.none());
            assertEquals(1.0, AdjustedRand.of(t.truth, r.labels()), 1e-9, "k = " + c[0]);
            assertTrue(r.converged());
            assertEquals(t.n, Arrays.stream(r.sizes()).sum());
            // the inertia is that of the returned labels and centroids
            double in = 0;
            for (int i = 0; i < t.n; i++) {
                for (int j = 0; j < t.d; j++) {
                    double v = t.x[i * t.d + j] - r.centroids()[r.labels()[i] * t.d + j];
                    in += v * v;
                }
            }
            assertEquals(in, r.inertia(), 1e-6 * in);
            // unit-variance blobs: about d per row
            assertEquals(t.d, r.inertia() / t.n, 0.1 * t.d);
            // restarts are ranked by the inertia their cluster sums give; it agrees with the row-by-row sum
            assertEquals(r.inertia(), r.restartInertias()[r.bestRestart()], 1e-7 * r.inertia());
        }
    }

    @Test
    void sameSeedGivesTheSameResultOnAnyNumberOfThreads() throws Exception {
        ClusterTestData t = ClusterTestData.blobs(6000, 16, 12, 8, 3);
        KMeansParams p = new KMeansParams(30, 2, 300, 1e-4, 99);
        KMeansResult a = KMeans.fit(t.x, t.n, t.d, p, TaskContext.none());
        ForkJoinPool one = new ForkJoinPool(1);
        KMeansResult b;
        try {
            b = one.submit(() -> KMeans.fit(t.x, t.n, t.d, p, TaskContext.none())).get();
        } finally {
            one.shutdown();
        }
        assertArrayEquals(a.labels(), b.labels());
        assertArrayEquals(a.centroids(), b.centroids());
        assertEquals(a.inertia(), b.inertia());
        assertEquals(a.iterations(), b.iterations());
        assertArrayEquals(a.restartInertias(), b.restartInertias());
        KMeansResult c = KMeans.fit(t.x, t.n, t.d, p.withSeed(100), TaskContext.none());
        assertFalse(Arrays.equals(a.restartInertias(), c.restartInertias()), "another seed, other restarts");
    }

    @Test
    void assignmentsAndIterationsAreThoseOfPlainLloydFromTheSameSeeding() {
        // overlapping blobs, so points keep changing clusters for many iterations
        ClusterTestData t = ClusterTestData.blobs(3000, 20, 8, 3, 21);
        for (int k : new int[] {6, 20, 30}) {
            Data data = new Data(t.x, t.n, t.d, Data.headWidth(k), k > DenseRun.MAX_K);
            KMeansPlusPlus.Seeds seeds = new KMeansPlusPlus(data).init(new int[] {k},
                    new SplittableRandom[] {new SplittableRandom(7)}, TaskContext.none());
            float[] init = seeds.centers()[0].clone();
            double tolAbs = 1e-4 * data.meanVariance();
            KMeansRun run = KMeansRun.create(data, seeds, 0, k, 300, tolAbs);
            Lockstep.run(List.of(run), data.part, TaskContext.none());
            KMeansRun.Outcome o = run.outcome(true);
            NaiveLloyd ref = NaiveLloyd.run(t.x, t.n, t.d, init, k, 300, tolAbs);
            assertArrayEquals(ref.labels, o.labels(), "labels, k = " + k);
            assertEquals(ref.iterations, o.iterations(), "iterations, k = " + k);
            assertEquals(ref.inertia, o.inertia(), 1e-6 * ref.inertia);
            assertTrue(o.distances() < o.lloydDistances(), "bounds saved work, k = " + k);
        }
    }

    @Test
    void emptiedClustersAreRefilledWithManyClustersToo() {
        ClusterTestData t = ClusterTestData.blobs(3000, 6, 25, 30, 9);
        Data data = new Data(t.x, t.n, t.d, Data.headWidth(25), true);
        float[] init = new float[25 * t.d];
        for (int c = 0; c < 25; c++) {
            int row = c < 5 ? 0 : c * 17; // five copies of row 0: four of them get nobody at first
            System.arraycopy(t.x, row * t.d, init, c * t.d, t.d);
        }
        KMeansRun run = KMeansRun.create(data, init, 25, 300, 0);
        Lockstep.run(List.of(run), data.part, TaskContext.none());
        KMeansRun.Outcome o = run.outcome(true);
        for (int s : o.sizes()) {
            assertTrue(s > 0, Arrays.toString(o.sizes()));
        }
        NaiveLloyd ref = NaiveLloyd.run(t.x, t.n, t.d, o.centroids(), 25, 1, 0);
        assertArrayEquals(ref.labels, o.labels(), "labels are those of the final centroids");
    }

    @Test
    void anEmptiedClusterTakesTheFarthestRow() {
        ClusterTestData t = ClusterTestData.blobs(2000, 5, 3, 20, 8);
        Data data = new Data(t.x, t.n, t.d, Data.headWidth(3), false);
        float[] init = new float[3 * t.d];
        System.arraycopy(t.x, 0, init, 0, t.d);
        System.arraycopy(t.x, 0, init, t.d, t.d); // a duplicate: the second copy gets nobody
        System.arraycopy(t.x, 7 * t.d, init, 2 * t.d, t.d);
        KMeansRun run = KMeansRun.create(data, init, 3, 300, 0);
        Lockstep.run(List.of(run), data.part, TaskContext.none());
        KMeansRun.Outcome o = run.outcome(true);
        for (int s : o.sizes()) {
            assertTrue(s > 0, Arrays.toString(o.sizes()));
        }
        assertEquals(1.0, AdjustedRand.of(t.truth, o.labels()), 1e-9);
    }

    @Test
    void seedingPicksDistinctRowsOfTheData() {
        ClusterTestData t = ClusterTestData.blobs(1500, 6, 4, 10, 2);
        Data data = new Data(t.x, t.n, t.d, 32, true);
        KMeansPlusPlus.Seeds seeds = new KMeansPlusPlus(data).init(new int[] {25, 3},
                new SplittableRandom[] {new SplittableRandom(1), new SplittableRandom(2)}, TaskContext.none());
        float[][] inits = seeds.centers();
        assertEquals(25 * t.d, inits[0].length);
        assertEquals(3 * t.d, inits[1].length);
        Set<Integer> rows = new HashSet<>();
        for (int c = 0; c < 25; c++) {
            int found = -1;
            for (int r = 0; r < t.n && found < 0; r++) {
                if (Arrays.equals(Arrays.copyOfRange(t.x, r * t.d, (r + 1) * t.d),
                        Arrays.copyOfRange(inits[0], c * t.d, (c + 1) * t.d))) {
                    found = r;
                }
            }
            assertTrue(found >= 0, "centre " + c + " is a row");
            assertTrue(rows.add(found), "centre " + c + " is a new row");
        }
        // seedings advancing together give what each gives alone
        float[] alone = new KMeansPlusPlus(data).init(new int[] {3}, new SplittableRandom[] {new SplittableRandom(2)},
                TaskContext.none()).centers()[0];
        assertArrayEquals(alone, inits[1]);
        // every row's nearest centre and the squared distances to the nearest two come with the seeds
        for (int r = 0; r < t.n; r += 7) {
            double[] dist = new double[25];
            for (int c = 0; c < 25; c++) {
                dist[c] = Kernels.exactSq(t.x, r * t.d, inits[0], c * t.d, t.d);
            }
            double[] sorted = dist.clone();
            Arrays.sort(sorted);
            assertEquals(sorted[0], dist[seeds.owner()[0][r]], 1e-3 * (1 + sorted[0]), "row " + r);
            assertEquals(sorted[0], seeds.closest()[0][r], 1e-3 * (1 + sorted[0]));
            assertEquals(sorted[1], seeds.second()[0][r], 1e-3 * (1 + sorted[1]));
        }
    }

    @Test
    void fittingSeveralParameterSetsTogetherEqualsFittingEachAlone() {
        ClusterTestData t = ClusterTestData.blobs(2500, 10, 6, 6, 4);
        List<KMeansParams> ps = List.of(new KMeansParams(3, 2, 300, 1e-4, 1), new KMeansParams(20, 1, 300, 1e-4, 2));
        List<KMeansResult> together = KMeans.fitMany(t.x, t.n, t.d, ps, TaskContext.none());
        for (int i = 0; i < ps.size(); i++) {
            KMeansResult alone = KMeans.fit(t.x, t.n, t.d, ps.get(i), TaskContext.none());
            assertArrayEquals(alone.labels(), together.get(i).labels());
            assertEquals(alone.inertia(), together.get(i).inertia());
        }
        assertNotEquals(together.get(0).k(), together.get(1).k());
        // in groups of one run at a time (as memory limits may force): still the same results
        List<KMeansResult> oneByOne = KMeans.fitMany(t.x, t.n, t.d, ps, 1, TaskContext.none());
        for (int i = 0; i < ps.size(); i++) {
            assertArrayEquals(together.get(i).labels(), oneByOne.get(i).labels());
            assertArrayEquals(together.get(i).restartInertias(), oneByOne.get(i).restartInertias());
        }
    }

    @Test
    void restartAgreementIsTheAdjustedRandIndexOfEachRestartWithTheKeptOne() {
        // overlapping blobs, so restarts end in different partitions; few clusters (dense path) and many (lists)
        ClusterTestData t = ClusterTestData.blobs(3000, 20, 8, 3, 21);
        for (int k : new int[] {6, 20}) {
            KMeansParams p = new KMeansParams(k, 3, 300, 1e-4, 17);
            KMeansResult r = KMeans.fitMany(t.x, t.n, t.d, List.of(p), true, TaskContext.none()).get(0);
            KMeansResult plain = KMeans.fit(t.x, t.n, t.d, p, TaskContext.none());
            assertArrayEquals(plain.labels(), r.labels(), "asking for agreement changes nothing else, k = " + k);
            assertArrayEquals(plain.restartInertias(), r.restartInertias());
            assertEquals(p.nInit(), r.restartAgreement().length);
            boolean disagree = false;
            for (int i = 0; i < p.nInit(); i++) {
                // restart i fitted on its own from its own seeding
                Data data = new Data(t.x, t.n, t.d, Data.headWidth(k), k > DenseRun.MAX_K);
                KMeansPlusPlus.Seeds seeds = new KMeansPlusPlus(data).init(new int[] {k},
                        new SplittableRandom[] {new SplittableRandom(KMeans.restartSeed(p.seed(), i))},
                        TaskContext.none());
                KMeansRun run = KMeansRun.create(data, seeds, 0, k, p.maxIter(), p.tol() * data.meanVariance());
                Lockstep.run(List.of(run), data.part, TaskContext.none());
                double ari = AdjustedRand.of(r.labels(), run.outcome(true).labels());
                assertEquals(ari, r.restartAgreement()[i], "restart " + i + ", k = " + k);
                disagree |= ari < 1;
            }
            assertEquals(1.0, r.restartAgreement()[r.bestRestart()]);
            assertTrue(disagree, "some restart ends elsewhere, k = " + k);
        }
    }

    @Test
    void oneClusterIsTheMean() {
        ClusterTestData t = ClusterTestData.blobs(1000, 4, 3, 5, 2);
        KMeansResult r = KMeans.fit(t.x, t.n, t.d, new KMeansParams(1, 2, 300, 1e-4, 0), TaskContext.none());
        assertTrue(Arrays.stream(r.labels()).allMatch(l -> l == 0));
        double total = 0;
        for (int j = 0; j < t.d; j++) {
            double m = 0;
            for (int i = 0; i < t.n; i++) {
                m += t.x[i * t.d + j];
            }
            m /= t.n;
            assertEquals(m, r.centroids()[j], 1e-4);
            for (int i = 0; i < t.n; i++) {
                total += (t.x[i * t.d + j] - m) * (t.x[i * t.d + j] - m);
            }
        }
        assertEquals(total, r.inertia(), 1e-6 * total);
    }

    @Test
    void badParametersAreRefusedWithAClearMessage() {
        assertThrows(IllegalArgumentException.class, () -> new KMeansParams(0, 1, 1, 1e-4, 0));
        assertThrows(IllegalArgumentException.class, () -> new KMeansParams(2, 0, 1, 1e-4, 0));
        assertThrows(IllegalArgumentException.class, () -> new KMeansParams(2, 1, 1, -1, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KMeans.fit(new float[6], 3, 2, KMeansParams.of(4, 0), TaskContext.none()));
        assertTrue(e.getMessage().contains("4 clusters of 3 people"), e.getMessage());
    }

    @Test
    void cancellationStopsAFit() {
        ClusterTestData t = ClusterTestData.blobs(3000, 8, 5, 4, 1);
        TaskContext cancelled = new TaskContext() {
            @Override
            public void progress(double done, double total) {
            }

            @Override
            public void message(String message) {
            }

            @Override
            public boolean isCancelled() {
                return true;
            }
        };
        assertThrows(java.util.concurrent.CancellationException.class,
                () -> KMeans.fit(t.x, t.n, t.d, KMeansParams.of(5, 1), cancelled));
    }

    /** Textbook Lloyd in double precision with scikit-learn's stopping rule, as the reference. */
    static final class NaiveLloyd {
        int[] labels;
        int iterations;
        double inertia;

        static NaiveLloyd run(float[] x, int n, int d, float[] init, int k, int maxIter, double tol) {
            double[] c = new double[k * d];
            for (int i = 0; i < c.length; i++) {
                c[i] = init[i];
            }
            int[] labels = new int[n];
            Arrays.fill(labels, -1);
            boolean strict = false;
            int it = 0;
            for (; it < maxIter; it++) {
                int[] old = labels.clone();
                assign(x, n, d, c, k, labels);
                double[] next = new double[k * d];
                int[] cnt = new int[k];
                for (int r = 0; r < n; r++) {
                    cnt[labels[r]]++;
                    for (int j = 0; j < d; j++) {
                        next[labels[r] * d + j] += x[r * d + j];
                    }
                }
                double shift = 0;
                for (int q = 0; q < k; q++) {
                    for (int j = 0; j < d; j++) {
                        double v = cnt[q] > 0 ? next[q * d + j] / cnt[q] : c[q * d + j];
                        // the fast path keeps centroids in float; so does the reference
                        v = (float) v;
                        shift += (v - c[q * d + j]) * (v - c[q * d + j]);
                        next[q * d + j] = v;
                    }
                }
                c = next;
                if (Arrays.equals(old, labels)) {
                    strict = true;
                    break;
                }
                if (shift <= tol) {
                    break;
                }
            }
            NaiveLloyd out = new NaiveLloyd();
            out.iterations = Math.min(it + 1, maxIter);
            if (!strict) {
                assign(x, n, d, c, k, labels);
            }
            out.labels = labels;
            double in = 0;
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < d; j++) {
                    double v = x[r * d + j] - c[labels[r] * d + j];
                    in += v * v;
                }
            }
            out.inertia = in;
            return out;
        }

        private static void assign(float[] x, int n, int d, double[] c, int k, int[] labels) {
            for (int r = 0; r < n; r++) {
                int best = 0;
                double bd = Double.POSITIVE_INFINITY;
                for (int q = 0; q < k; q++) {
                    double s = 0;
                    for (int j = 0; j < d; j++) {
                        double v = x[r * d + j] - c[q * d + j];
                        s += v * v;
                    }
                    if (s < bd) {
                        bd = s;
                        best = q;
                    }
                }
                labels[r] = best;
            }
        }
    }
}
