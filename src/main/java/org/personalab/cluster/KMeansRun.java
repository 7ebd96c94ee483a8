package org.personalab.cluster;

import java.util.Arrays;

/**
 * One k-means run: Lloyd's iterations, driven pass by pass ({@link Lockstep}): {@link #assignBlock} for every
 * block of rows (blocks of different chunks concurrently), then {@link #endPass}. Subclasses decide how rows are
 * assigned; the update step, empty-cluster handling and stopping are shared and follow scikit-learn: after each
 * assignment and centroid update, stop when no label changed or when the squared centroid shift summed over clusters
 * is at most the absolute tolerance (or at the iteration limit); then, unless labels were unchanged, assign once
 * more so labels match the final centroids.
 */
abstract class KMeansRun {

    private enum Phase { ITERATE, FINAL_ASSIGN, DONE }

    final Data data;
    final RowBlocks part;
    final int n;
    final int d;
    final int k;
    private final int maxIter;
    private final double tolAbs;

    CentroidView cv;
    /** How far each centroid moved in the last update. */
    final float[] drift;
    final int[] label;
    /** Number of centroid updates done. */
    int iteration;

    private final CentroidSums sums;
    private final int[] blockChanged;
    private final long[] blockExact;
    private Phase phase = Phase.ITERATE;
    private boolean converged;
    private long exact;
    private long plain;

    /** Result of a run. */
    record Outcome(float[] centroids, int[] labels, int[] sizes, double inertia, int iterations, boolean converged,
            long distances, long lloydDistances) {
    }

    KMeansRun(Data data, float[] init, int k, int maxIter, double tolAbs) {
        this.data = data;
        this.part = data.part;
        this.n = data.n;
        this.d = data.d;
        this.k = k;
        this.maxIter = maxIter;
        this.tolAbs = tolAbs;
        drift = new float[k];
        cv = new CentroidView(data, init, k);
        label = new int[n];
        Arrays.fill(label, -1);
        sums = new CentroidSums(k, d, part.chunks());
        blockChanged = new int[part.count()];
        blockExact = new long[part.count()];
    }

    final boolean active() {
        return phase != Phase.DONE;
    }

    /** What a block's assignment did: exact distance computations, label changes; and where to record moves. */
    static final class Work {
        long exact;
        int changed;
        int chunk;
        boolean track;
    }

    /** Assigns the rows of block b. */
    final void assignBlock(int b) {
        Work w = new Work();
        w.chunk = part.chunkOf(b);
        w.track = phase != Phase.DONE;
        assign(b, iteration == 0 && phase == Phase.ITERATE, w);
        blockChanged[b] = w.changed;
        blockExact[b] = w.exact;
    }

    /** Puts row r in cluster {@code to}; subclasses assign labels only through this. */
    final void relabel(Work w, int r, int to) {
        int from = label[r];
        if (from != to) {
            label[r] = to;
            w.changed++;
            if (w.track) {
                sums.moved(w.chunk, data.x, r, from, to);
            }
        }
    }

    /** Assigns the rows of block b with {@link #relabel}; {@code first}: no labels yet (labels are -1). */
    abstract void assign(int b, boolean first, Work w);

    /** Called after each update, with {@link #iteration} already advanced and {@link #cv} the new centroids. */
    void updated() {
    }

    /** A row was moved into an emptied cluster (it is that cluster's only member, and its centroid). */
    void relocated(int row) {
    }

    /** After all blocks of a pass: update the centroids and decide whether to go on. */
    final void endPass() {
        int changed = 0;
        for (int b = 0; b < part.count(); b++) {
            changed += blockChanged[b];
            exact += blockExact[b];
        }
        plain += (long) n * k;
        sums.fold();
        if (phase == Phase.FINAL_ASSIGN) {
            phase = Phase.DONE;
            return;
        }
        int[] moved = relocateEmpty();
        float[] next = new float[k * d];
        double shift = sums.centroids(cv.c, next, drift);
        iteration++;
        cv = new CentroidView(data, next, k);
        updated();
        for (int row : moved) {
            relocated(row);
        }
        if (changed == 0) {
            converged = true;
            phase = Phase.DONE;
        } else if (shift <= tolAbs) {
            converged = true;
            phase = Phase.FINAL_ASSIGN;
        } else if (iteration >= maxIter) {
            phase = Phase.FINAL_ASSIGN;
        }
    }

    /**
     * As scikit-learn: each empty cluster takes the row farthest from its centroid (farthest first; ties by row).
     * Here the row is also relabelled, so the running sums stay those of the labels. Returns the rows moved.
     */
    private int[] relocateEmpty() {
        int empty = 0;
        for (int i = 0; i < k; i++) {
            if (sums.counts[i] == 0) {
                empty++;
            }
        }
        if (empty == 0) {
            return new int[0];
        }
        int[] farRows = Farthest.rows(data, cv.c, label, empty);
        int[] moved = new int[farRows.length];
        int q = 0;
        int done = 0;
        for (int i = 0; i < k && q < farRows.length; i++) {
            if (sums.counts[i] != 0) {
                continue;
            }
            int row = farRows[q++];
            int from = label[row];
            if (sums.counts[from] <= 1) {
                continue;
            }
            sums.move(data.x, row, from, i);
            label[row] = i;
            moved[done++] = row;
        }
        return Arrays.copyOf(moved, done);
    }

    /**
     * The result. With {@code exactInertia} the inertia is summed row by row in double; otherwise it comes from the
     * cluster sums, {@code Σ‖x‖² − Σ_c (2 c·S_c − n_c ‖c‖²)}, which agrees to about 1e-9 relatively and costs
     * nothing (used to rank restarts).
     */
    final Outcome outcome(boolean exactInertia) {
        double inertia;
        if (exactInertia) {
            inertia = Inertia.of(data.x, n, d, cv.c, label);
        } else {
            double s = data.totalSquares();
            for (int c = 0; c < k; c++) {
                double dot = 0;
                double nn = 0;
                for (int j = 0; j < d; j++) {
                    double v = cv.c[c * d + j];
                    dot += v * sums.sums[c * d + j];
                    nn += v * v;
                }
                s -= 2 * dot - sums.counts[c] * nn;
            }
            inertia = Math.max(0, s);
        }
        return new Outcome(cv.c, label, sums.counts.clone(), inertia, iteration, converged, exact, plain);
    }

    /** A run suited to k from seeding i: dense head screening for few clusters, per-row bounds for many. */
    static KMeansRun create(Data data, KMeansPlusPlus.Seeds seeds, int i, int k, int maxIter, double tolAbs) {
        return k <= DenseRun.MAX_K
                ? new DenseRun(data, seeds.centers()[i], k, maxIter, tolAbs, seeds.owner()[i], seeds.closest()[i],
                        seeds.second()[i])
                : new ListRun(data, seeds.centers()[i], k, maxIter, tolAbs);
    }

    /** A run suited to k from given initial centroids. */
    static KMeansRun create(Data data, float[] init, int k, int maxIter, double tolAbs) {
        return k <= DenseRun.MAX_K ? new DenseRun(data, init, k, maxIter, tolAbs, null, null, null)
                : new ListRun(data, init, k, maxIter, tolAbs);
    }
}
