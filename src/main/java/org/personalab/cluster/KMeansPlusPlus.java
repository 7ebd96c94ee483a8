package org.personalab.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.personalab.task.TaskContext;

/**
 * Greedy k-means++ seeding as scikit-learn does it: the first centre is a uniformly drawn row; each further centre
 * is the best, by resulting potential, of {@code 2 + ⌊ln k⌋} rows drawn with probability proportional to their
 * squared distance to the nearest centre so far. Several seedings (restarts, or different k) advance together so
 * that each pass over the rows serves all of them. Per-block sums are combined in block order: the result depends
 * only on the data and each seeding's random generator.
 */
final class KMeansPlusPlus {

    private final Data data;
    private final int blocks;

    KMeansPlusPlus(Data data) {
        this.data = data;
        this.blocks = data.part.count();
    }

    static int trials(int k) {
        return 2 + (int) Math.log(k);
    }

    /**
     * Seeds of several runs: {@code centers[i]} is {@code k × d}; for every row, the index of its nearest centre
     * ({@code owner}) and the squared distances to the nearest and second nearest ({@code closest}, {@code second}),
     * which give each run its first assignment and bounds without computing them again.
     */
    record Seeds(float[][] centers, int[][] owner, float[][] closest, float[][] second) {
    }

    /** One seeding in progress. */
    private final class Seeding {
        final int k;
        final int trials;
        final SplittableRandom rng;
        final float[] centers;
        final int[] owner;
        final float[] second;
        float[] closest;
        double[] closestBlocks;
        double pot;
        final float[][] cand;
        final double[][] candBlocks;
        final int[] ids;

        Seeding(int k, SplittableRandom rng) {
            this.k = k;
            this.trials = trials(k);
            this.rng = rng;
            this.centers = new float[k * data.d];
            this.owner = new int[data.n];
            this.second = new float[data.n];
            java.util.Arrays.fill(second, Float.POSITIVE_INFINITY);
            this.closest = new float[data.n];
            this.closestBlocks = new double[blocks];
            this.cand = new float[trials][];
            this.candBlocks = new double[trials][blocks];
            this.ids = new int[trials];
        }
    }

    /** Seeds for each seeding i: {@code ks[i]} centres drawn with {@code rngs[i]}. */
    Seeds init(int[] ks, SplittableRandom[] rngs, TaskContext ctx) {
        int n = data.n;
        int d = data.d;
        List<Seeding> all = new ArrayList<>();
        int maxK = 0;
        for (int i = 0; i < ks.length; i++) {
            if (ks[i] > n) {
                throw new IllegalArgumentException("k = " + ks[i] + " is more than the " + n + " rows");
            }
            all.add(new Seeding(ks[i], rngs[i]));
            maxK = Math.max(maxK, ks[i]);
        }
        // first centres, all seedings in one pass
        int[] firstIds = new int[all.size()];
        float[][] firstOut = new float[all.size()][];
        float[][] noCap = new float[all.size()][];
        double[][] firstBlocks = new double[all.size()][];
        for (int i = 0; i < all.size(); i++) {
            Seeding s = all.get(i);
            firstIds[i] = s.rng.nextInt(n);
            System.arraycopy(data.x, firstIds[i] * d, s.centers, 0, d);
            firstOut[i] = s.closest;
            firstBlocks[i] = s.closestBlocks;
        }
        distances(firstIds, firstOut, noCap, firstBlocks);
        for (Seeding s : all) {
            s.pot = sum(s.closestBlocks);
        }
        for (int c = 1; c < maxK; c++) {
            ctx.checkCancelled();
            List<Seeding> step = new ArrayList<>();
            int m = 0;
            for (Seeding s : all) {
                if (c < s.k) {
                    step.add(s);
                    m += s.trials;
                }
            }
            int[] ids = new int[m];
            float[][] out = new float[m][];
            float[][] caps = new float[m][];
            double[][] sums = new double[m][];
            int p = 0;
            for (Seeding s : step) {
                for (int t = 0; t < s.trials; t++) {
                    s.ids[t] = search(s.closest, s.closestBlocks, s.rng.nextDouble() * s.pot);
                    if (s.cand[t] == null) {
                        s.cand[t] = new float[n];
                    }
                    ids[p] = s.ids[t];
                    out[p] = s.cand[t];
                    caps[p] = s.closest;
                    sums[p] = s.candBlocks[t];
                    p++;
                }
            }
            distances(ids, out, caps, sums);
            for (Seeding s : step) {
                int best = 0;
                double bestPot = Double.POSITIVE_INFINITY;
                for (int t = 0; t < s.trials; t++) {
                    double pt = sum(s.candBlocks[t]);
                    if (pt < bestPot) {
                        bestPot = pt;
                        best = t;
                    }
                }
                s.pot = bestPot;
                adopt(s, s.cand[best], c);
                double[] swapB = s.closestBlocks;
                s.closestBlocks = s.candBlocks[best];
                s.candBlocks[best] = swapB;
                System.arraycopy(data.x, s.ids[best] * d, s.centers, c * d, d);
            }
        }
        int q = all.size();
        Seeds seeds = new Seeds(new float[q][], new int[q][], new float[q][], new float[q][]);
        for (int i = 0; i < q; i++) {
            Seeding s = all.get(i);
            seeds.centers()[i] = s.centers;
            seeds.owner()[i] = s.owner;
            seeds.closest()[i] = s.closest;
            seeds.second()[i] = s.second;
        }
        return seeds;
    }

    /** Takes centre c with squared distances {@code dist} into a seeding's nearest and second nearest. */
    private void adopt(Seeding s, float[] dist, int c) {
        RowBlocks part = data.part;
        Blocks.run(part.count(), b -> {
            float[] closest = s.closest;
            for (int r = part.start(b), end = part.end(b); r < end; r++) {
                float v = dist[r];
                if (v < closest[r]) {
                    s.second[r] = closest[r];
                    closest[r] = v;
                    s.owner[r] = c;
                } else if (v < s.second[r]) {
                    s.second[r] = v;
                }
            }
        });
    }

    private static double sum(double[] parts) {
        double s = 0;
        for (double v : parts) {
            s += v;
        }
        return s;
    }

    /** First row whose cumulative weight reaches {@code v} (numpy's searchsorted, clipped to the last row). */
    private int search(float[] w, double[] blockSums, double v) {
        double acc = 0;
        int b = 0;
        while (b < blocks - 1 && acc + blockSums[b] < v) {
            acc += blockSums[b];
            b++;
        }
        int end = data.part.end(b);
        for (int r = data.part.start(b); r < end; r++) {
            acc += w[r];
            if (acc >= v) {
                return r;
            }
        }
        return end - 1;
    }

    /**
     * For each candidate row t: {@code out[t][r]} = squared distance of row r to it; {@code blockSums[t][b]} = sum
     * over block b, in row order, of that distance lowered to {@code caps[t][r]} when a cap is given. (Bounding the
     * distances from the head coordinates first does not pay here: candidates are rows, whose off-head parts are
     * large.)
     */
    private void distances(int[] ids, float[][] out, float[][] caps, double[][] blockSums) {
        int m = ids.length;
        int d = data.d;
        float[] cn = new float[m];
        float[] rows = new float[m * d];
        for (int t = 0; t < m; t++) {
            cn[t] = data.norms[ids[t]];
            data.centred(ids[t], rows, t * d);
        }
        RowBlocks part = data.part;
        Blocks.run(part.count(), b -> {
            int r0 = part.start(b);
            int size = part.size(b);
            float[] acc = new float[size];
            float[] xn = data.norms;
            for (int t = 0; t < m; t++) {
                data.dots(b, rows, t * d, acc);
                float[] o = out[t];
                float[] cap = caps[t];
                float c = cn[t];
                double s = 0;
                for (int i = 0; i < size; i++) {
                    float v = Kernels.sq(xn[r0 + i], c, acc[i]);
                    o[r0 + i] = v;
                    s += cap != null && cap[r0 + i] < v ? cap[r0 + i] : v;
                }
                blockSums[t][b] = s;
            }
        });
    }
}
