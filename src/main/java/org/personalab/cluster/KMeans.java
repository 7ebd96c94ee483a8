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
        return fitMany(x, n, d, params, false, ctx);
    }

    /**
     * As {@link #fitMany(float[], int, int, List, TaskContext)}; with {@code agreement}, each result also says how
     * far its restarts agree with the kept one ({@link KMeansResult#restartAgreement()}, adjusted Rand index): a
     * measure of stability that costs no extra fit, since the restarts are independent k-means++ starts anyway. It
     * keeps every restart's labels until the end ({@code 4 n} bytes per restart).
     */
    public static List<KMeansResult> fitMany(float[] x, int n, int d, List<KMeansParams> params, boolean agreement,
            TaskContext ctx) {
        int maxK = params.stream().mapToInt(KMeansParams::k).max().orElse(1);
        return fitMany(x, n, d, params, groupSize(n, maxK), agreement, ctx);
    }

    /** As {@link #fitMany(float[], int, int, List, TaskContext)}, at most {@code group} runs advancing together. */
    static List<KMeansResult> fitMany(float[] x, int n, int d, List<KMeansParams> params, int group,
            TaskContext ctx) {
        return fitMany(x, n, d, params, group, false, ctx);
    }

    private static List<KMeansResult> fitMany(float[] x, int n, int d, List<KMeansParams> params, int group,
            boolean agreement, TaskContext ctx) {
        for (KMeansParams p : params) {
            if (n < p.k()) {
                throw new IllegalArgumentException("cannot make " + p.k() + " clusters of " + n + " people");
            }
        }
        long t0 = System.nanoTime();
        int maxK = params.stream().mapToInt(KMeansParams::k).max().orElse(1);
        Data data = new Data(x, n, d, Data.headWidth(maxK), maxK > DenseRun.MAX_K);
        double meanVar = data.meanVariance();
        long prepare = System.nanoTime() - t0;
        List<int[]> specs = new ArrayList<>(); // {parameter set, restart}
        for (int p = 0; p < params.size(); p++) {
            for (int i = 0; i < params.get(p).nInit(); i++) {
                specs.add(new int[] {p, i});
            }
        }
        long seeding = 0;
        long iterating = 0;
        int passes = 0;
        int np = params.size();
        KMeansRun[] bestRun = new KMeansRun[np];
        int[] bestRestart = new int[np];
        double[] bestInertia = new double[np];
        double[][] inertias = new double[np][];
        long[] done = new long[np];
        long[] plain = new long[np];
        int[][][] restartLabels = new int[np][][];
        for (int p = 0; p < np; p++) {
            inertias[p] = new double[params.get(p).nInit()];
            bestInertia[p] = Double.POSITIVE_INFINITY;
            restartLabels[p] = new int[agreement ? params.get(p).nInit() : 0][];
        }
        for (int g = 0; g < specs.size(); g += group) {
            List<int[]> sub = specs.subList(g, Math.min(specs.size(), g + group));
            int[] ks = new int[sub.size()];
            SplittableRandom[] rngs = new SplittableRandom[sub.size()];
            for (int q = 0; q < sub.size(); q++) {
                KMeansParams p = params.get(sub.get(q)[0]);
                ks[q] = p.k();
                rngs[q] = new SplittableRandom(restartSeed(p.seed(), sub.get(q)[1]));
            }
            long a = System.nanoTime();
            ctx.message("K-means++ seeding of " + sub.size() + " run(s)");
            KMeansPlusPlus.Seeds seeds = new KMeansPlusPlus(data).init(ks, rngs, ctx);
            long b = System.nanoTime();
            List<KMeansRun> runs = new ArrayList<>();
            for (int q = 0; q < sub.size(); q++) {
                KMeansParams p = params.get(sub.get(q)[0]);
                runs.add(KMeansRun.create(data, seeds, q, p.k(), p.maxIter(), p.tol() * meanVar));
            }
            seeds = null;
            passes += Lockstep.run(runs, data.part, ctx);
            iterating += System.nanoTime() - b;
            seeding += b - a;
            for (int q = 0; q < sub.size(); q++) {
                int p = sub.get(q)[0];
                KMeansRun.Outcome o = runs.get(q).outcome(false);
                inertias[p][sub.get(q)[1]] = o.inertia();
                if (agreement) {
                    restartLabels[p][sub.get(q)[1]] = o.labels();
                }
                done[p] += o.distances();
                plain[p] += o.lloydDistances();
                if (o.inertia() < bestInertia[p]) {
                    bestInertia[p] = o.inertia();
                    bestRun[p] = runs.get(q);
                    bestRestart[p] = sub.get(q)[1];
                }
            }
        }
        KMeansResult.Timings timings = new KMeansResult.Timings(prepare / 1e9, seeding / 1e9, iterating / 1e9,
                passes);
        List<KMeansResult> out = new ArrayList<>();
        for (int p = 0; p < np; p++) {
            KMeansRun.Outcome best = bestRun[p].outcome(true);
            bestRun[p] = null;
            double[] agree = new double[restartLabels[p].length];
            for (int i = 0; i < agree.length; i++) {
                agree[i] = i == bestRestart[p] ? 1.0 : AdjustedRand.of(best.labels(), restartLabels[p][i]);
            }
            restartLabels[p] = null;
            out.add(new KMeansResult(params.get(p).k(), d, best.centroids(), best.labels(), best.inertia(),
                    best.iterations(), best.converged(), best.sizes(), bestRestart[p], inertias[p],
                    plain[p] == 0 ? 0 : (double) done[p] / plain[p], agree, timings));
        }
        return out;
    }

    /** Runs advancing together at most, so that their per-row state stays within a few hundred megabytes. */
    static int groupSize(int n, int maxK) {
        long perRow = 24 + 4L * (1 + KMeansPlusPlus.trials(maxK)) + (maxK > DenseRun.MAX_K ? 8L * ListRun.LIST : 8);
        long budget = 384L << 20;
        return (int) Math.max(1, Math.min(1 << 16, budget / Math.max(1, perRow * n)));
    }

    /** The seed of restart i: a SplitMix64 step of (seed, i), so restarts are independent streams. */
    static long restartSeed(long seed, int restart) {
        long z = seed + 0x9E3779B97F4A7C15L * (restart + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
