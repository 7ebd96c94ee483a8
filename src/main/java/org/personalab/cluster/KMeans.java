package org.personalab.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.personalab.task.TaskContext;

/**
 * K-means with scikit-learn's semantics (greedy k-means++ seeding, Lloyd iterations, relative tolerance, empty
 * clusters refilled with far rows, the restart of lowest inertia kept), computed with distance bounds on all
 * cores, restarts advancing together so that each pass over the data serves all of them. Restart i draws from a
 * {@link SplittableRandom} seeded from (seed, i), and all parallel sums are combined in a fixed order: the same data
 * and parameters give the same result on any machine.
 */
public final class KMeans {

    private KMeans() {
    }

    public static KMeansResult fit(FeatureMatrix f, KMeansParams p, TaskContext ctx) {
        return fit(f.data(), f.rows(), f.cols(), p, ctx);
    }

    public static KMeansResult fit(float[] x, int n, int d, KMeansParams p, TaskContext ctx) {
        return fitMany(x, n, d, List.of(p), ctx).get(0);
    }

    /**
     * Fits several parameter sets on the same rows at once (all their restarts advance together); the results are
     * those of fitting each alone.
     */
    public static List<KMeansResult> fitMany(float[] x, int n, int d, List<KMeansParams> params, TaskContext ctx) {
        for (KMeansParams p : params) {
            if (n < p.k()) {
                throw new IllegalArgumentException("cannot make " + p.k() + " clusters of " + n + " people");
            }
        }
        long t0 = System.nanoTime();
        int maxK = params.stream().mapToInt(KMeansParams::k).max().orElse(1);
        Data data = new Data(x, n, d, Data.headWidth(maxK), maxK > DenseRun.MAX_K);
        double meanVar = data.meanVariance();
        List<Integer> ks = new ArrayList<>();
        List<SplittableRandom> rngs = new ArrayList<>();
        for (KMeansParams p : params) {
            for (int i = 0; i < p.nInit(); i++) {
                ks.add(p.k());
                rngs.add(new SplittableRandom(restartSeed(p.seed(), i)));
            }
        }
        long t1 = System.nanoTime();
        ctx.message("K-means++ seeding of " + ks.size() + " run(s)");
        float[][] inits = new KMeansPlusPlus(data).init(ks.stream().mapToInt(Integer::intValue).toArray(),
                rngs.toArray(SplittableRandom[]::new), ctx);
        long t2 = System.nanoTime();
        List<KMeansRun> runs = new ArrayList<>();
        int q = 0;
        for (KMeansParams p : params) {
            for (int i = 0; i < p.nInit(); i++) {
                runs.add(KMeansRun.create(data, inits[q], p.k(), p.maxIter(), p.tol() * meanVar));
                inits[q++] = null;
            }
        }
        int passes = Lockstep.run(runs, data.part, ctx);
        KMeansResult.Timings timings = new KMeansResult.Timings((t1 - t0) / 1e9, (t2 - t1) / 1e9,
                (System.nanoTime() - t2) / 1e9, passes);
        List<KMeansResult> out = new ArrayList<>();
        q = 0;
        for (KMeansParams p : params) {
            KMeansRun.Outcome best = null;
            int bestRestart = -1;
            double[] inertias = new double[p.nInit()];
            long done = 0;
            long plain = 0;
            KMeansRun bestRun = null;
            for (int i = 0; i < p.nInit(); i++) {
                KMeansRun run = runs.get(q);
                KMeansRun.Outcome o = run.outcome(false);
                runs.set(q++, null);
                inertias[i] = o.inertia();
                done += o.distances();
                plain += o.lloydDistances();
                if (best == null || o.inertia() < best.inertia()) {
                    best = o;
                    bestRun = run;
                    bestRestart = i;
                }
            }
            best = bestRun.outcome(true);
            out.add(new KMeansResult(p.k(), d, best.centroids(), best.labels(), best.inertia(), best.iterations(),
                    best.converged(), best.sizes(), bestRestart, inertias, plain == 0 ? 0 : (double) done / plain,
                    timings));
        }
        return out;
    }

    /** The seed of restart i: a SplitMix64 step of (seed, i), so restarts are independent streams. */
    static long restartSeed(long seed, int restart) {
        long z = seed + 0x9E3779B97F4A7C15L * (restart + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
