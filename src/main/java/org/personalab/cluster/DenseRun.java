package org.personalab.cluster;

/**
 * K-means assignment for few clusters. Each row carries Hamerly's bounds (upper bound to its own centroid, lower
 * bound to all others, loosened by the centroids' drift since they were set, applied lazily); a row they still
 * settle costs three reads and no write.
 * The other rows of a block are screened against all centroids at once on their head coordinates ({@link Data}),
 * vectorized over the rows. The head parts H put the nearest centroid w in front, and centroid c cannot be nearer
 * when {@code H_c − H_w ≥ 2 ‖x̃ − head‖ ‖s_c − s_w‖} (the off-head parts s of two centroids enter only through their
 * difference). Where that fails for some c, one exact dot product with {@code s_c − s_w} per doubtful c decides
 * it (or, when much of a block is in doubt, exact distances to all centroids for the whole block, vectorized).
 */
final class DenseRun extends KMeansRun {

    /** Up to this many clusters a run screens densely; more use {@link ListRun}. */
    static final int MAX_K = 16;

    private static final ThreadLocal<Scratch> SCRATCH = new ThreadLocal<>();

    private final int m;
    /**
     * Hamerly's bounds folded into one number per row: lower bound to the other centroids minus upper bound to the
     * own one, as of pass {@link #stamp}; it shrinks by the own centroid's drift plus the largest drift each pass.
     */
    private final float[] margin;
    private final int[] stamp;
    /** {@code slide[t*k + c]}: Σ over passes before t of (drift of c + largest drift). */
    private double[] slide;
    /** {@code pairNorm[w*k+c] = ‖s_c − s_w‖}, {@code pairDiff} row w*k+c = s_c − s_w, {@code pairMean} its mean · . */
    private float[] pairNorm;
    private float[] pairDiff;
    private float[] pairMean;
    /** Rounding margin of a head part, less the row's own norm term. */
    private float epsC;

    /** From the seeding: each row's nearest initial centroid and squared distances to it and the next; or null. */
    private int[] owner;
    private float[] closest;
    private float[] second;

    DenseRun(Data data, float[] init, int k, int maxIter, double tolAbs, int[] owner, float[] closest,
            float[] second) {
        super(data, init, k, maxIter, tolAbs);
        this.owner = owner;
        this.closest = closest;
        this.second = second;
        this.m = data.m;
        this.margin = new float[n];
        this.stamp = new int[n];
        this.slide = new double[16 * k];
        pairs();
    }

    @Override
    void updated() {
        owner = null;
        closest = null;
        second = null;
        float mx = 0;
        for (float v : drift) {
            mx = Math.max(mx, v);
        }
        if ((iteration + 1) * k > slide.length) {
            slide = java.util.Arrays.copyOf(slide, 2 * slide.length);
        }
        for (int c = 0; c < k; c++) {
            slide[iteration * k + c] = slide[(iteration - 1) * k + c] + drift[c] + mx;
        }
        pairs();
    }

    private void pairs() {
        pairNorm = new float[k * k];
        pairDiff = new float[k * k * d];
        pairMean = new float[k * k];
        float cnMax = 0;
        for (int w = 0; w < k; w++) {
            cnMax = Math.max(cnMax, cv.norms[w]);
            for (int c = 0; c < k; c++) {
                int o = (w * k + c) * d;
                double s = 0;
                for (int j = 0; j < d; j++) {
                    float v = cv.off[c * d + j] - cv.off[w * d + j];
                    pairDiff[o + j] = v;
                    s += (double) v * v;
                }
                pairNorm[w * k + c] = (float) Math.sqrt(s);
                pairMean[w * k + c] = data.meanDot(pairDiff, o);
            }
        }
        epsC = 2e-5f * cnMax + 1e-6f;
    }

    @Override
    void relocated(int row) {
        margin[row] = -1f;
        stamp[row] = iteration;
    }

    /** Per-thread work arrays, each as long as a block. */
    private static final class Scratch {
        final float[][] h;
        final float[] hiMin;
        final float[] lo1;
        final float[] lo2;
        final float[][] z;
        final float[] norm;
        final float[] rest;
        final int[] open;
        final int[] doubt;
        final int[] doubtAt;
        final float[][] dots;
        final float[] e = new float[MAX_K];

        Scratch(int rows, int m) {
            h = new float[MAX_K][rows];
            hiMin = new float[rows];
            lo1 = new float[rows];
            lo2 = new float[rows];
            z = new float[m][rows];
            norm = new float[rows];
            rest = new float[rows];
            open = new int[rows];
            doubt = new int[rows];
            doubtAt = new int[rows];
            dots = new float[MAX_K][rows];
        }
    }

    private Scratch scratch() {
        Scratch s = SCRATCH.get();
        if (s == null || s.norm.length < part.rows() || s.z.length < m) {
            s = new Scratch(part.rows(), m);
            SCRATCH.set(s);
        }
        return s;
    }

    @Override
    void assign(int b, boolean first, Work w) {
        int size = part.size(b);
        int r0 = part.start(b);
        if (first && owner != null) {
            // the seeding found every row's nearest initial centroid, and the distances for its bounds
            for (int r = r0; r < r0 + size; r++) {
                relabel(w, r, owner[r]);
                bounds(r, (float) Math.sqrt(closest[r]), (float) Math.sqrt(second[r]));
            }
            return;
        }
        Scratch s = scratch();
        int open = 0;
        double[] sl = slide;
        int now = iteration * k;
        for (int i = 0; i < size; i++) {
            int r = r0 + i;
            int a = label[r];
            if (a >= 0 && margin[r] >= sl[now + a] - sl[stamp[r] * k + a]) {
                continue;
            }
            s.open[open++] = i;
        }
        if (open == 0) {
            return;
        }
        boolean dense = open * 2 >= size;
        int len = dense ? size : open;
        float[][] z = dense ? data.headTiles[b] : gather(b, open, s);
        float[] tn = dense ? data.normTiles[b] : s.norm;
        float[] tr = dense ? data.restTiles[b] : s.rest;
        screen(z, tn, len, s);
        intervals(tn, tr, len, s);
        int doubtful = 0;
        for (int j = 0; j < open; j++) {
            int i = s.open[j];
            int at = dense ? i : j;
            if (!settle(r0 + i, at, tn[at], tr[at], s, w)) {
                s.doubt[doubtful] = i;
                s.doubtAt[doubtful++] = at;
            }
        }
        if (doubtful == 0) {
            return;
        }
        if (doubtful * 5 >= size * 2) {
            for (int c = 0; c < k; c++) {
                data.dots(b, cv.centred, c * d, s.dots[c]);
            }
            w.exact += (long) size * k;
            for (int q = 0; q < doubtful; q++) {
                exact(r0 + s.doubt[q], s.doubt[q], s, w);
            }
        } else {
            for (int q = 0; q < doubtful; q++) {
                w.exact += pairwise(r0 + s.doubt[q], s.doubtAt[q], tr[s.doubtAt[q]], s, w);
            }
        }
    }

    /** Row r's new bounds: upper to its centroid, lower to every other, as of this pass. */
    private void bounds(int r, float up, float low) {
        margin[r] = low - up;
        stamp[r] = iteration;
    }

    /** Copies the head coordinates, norms and rests of the open rows of block b into compact arrays. */
    private float[][] gather(int b, int open, Scratch s) {
        float[][] tile = data.headTiles[b];
        for (int q = 0; q < m; q++) {
            float[] src = tile[q];
            float[] dst = s.z[q];
            for (int j = 0; j < open; j++) {
                dst[j] = src[s.open[j]];
            }
        }
        float[] tn = data.normTiles[b];
        float[] tr = data.restTiles[b];
        for (int j = 0; j < open; j++) {
            s.norm[j] = tn[s.open[j]];
            s.rest[j] = tr[s.open[j]];
        }
        return s.z;
    }

    /**
     * Head parts H of the squared distances of {@code len} rows to all centroids (vectorized); the slack of H_c
     * for a row with norm tn and rest tr is {@code W_c = 2 σ_c tr + 1e-5 (tn + ‖c̃‖²) + 1e-6} ({@link #slack}).
     */
    private void screen(float[][] z, float[] tn, int len, Scratch s) {
        for (int c = 0; c < k; c++) {
            float[] h = s.h[c];
            int go = c * m;
            float g0 = cv.head[go];
            float[] z0 = z[0];
            for (int i = 0; i < len; i++) {
                h[i] = g0 * z0[i];
            }
            for (int q = 1; q < m; q++) {
                float gq = cv.head[go + q];
                float[] zq = z[q];
                for (int i = 0; i < len; i++) {
                    h[i] += gq * zq[i];
                }
            }
            float cn = cv.norms[c];
            for (int i = 0; i < len; i++) {
                h[i] = tn[i] + cn - 2f * h[i];
            }
        }
    }

    /**
     * Per screened row, vectorized: the smallest upper end {@code min_c (H_c + W_c)} and the two smallest lower ends
     * {@code H_c − W_c} of the squared-distance intervals. When the second smallest lower end reaches the smallest
     * upper end, only one centroid can be nearest.
     */
    private void intervals(float[] tn, float[] tr, int len, Scratch s) {
        float[] hiMin = s.hiMin;
        float[] lo1 = s.lo1;
        float[] lo2 = s.lo2;
        java.util.Arrays.fill(hiMin, 0, len, Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(lo1, 0, len, Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(lo2, 0, len, Float.POSITIVE_INFINITY);
        for (int c = 0; c < k; c++) {
            float[] h = s.h[c];
            float s2 = 2f * cv.offNorm[c];
            float e = 1e-5f * cv.norms[c] + 1e-6f;
            for (int i = 0; i < len; i++) {
                float w = s2 * tr[i] + 1e-5f * tn[i] + e;
                float hi = h[i] + w;
                float lo = h[i] - w;
                hiMin[i] = Math.min(hiMin[i], hi);
                lo2[i] = Math.min(lo2[i], Math.max(lo1[i], lo));
                lo1[i] = Math.min(lo1[i], lo);
            }
        }
    }

    /** Bound on |2 x̃·s_c| (Cauchy–Schwarz) widened by the rounding of the float sums. */
    private float slack(int c, float tn, float tr) {
        return 2f * cv.offNorm[c] * tr + 1e-5f * (tn + cv.norms[c]) + 1e-6f;
    }

    /** Head front-runner of a screened row. */
    private int front(int i, Scratch s) {
        int w = 0;
        float hw = s.h[0][i];
        for (int c = 1; c < k; c++) {
            if (s.h[c][i] < hw) {
                hw = s.h[c][i];
                w = c;
            }
        }
        return w;
    }

    /** Settles row r (screened at index i) from the head parts and carried bounds; false when in doubt. */
    private boolean settle(int r, int i, float tn, float tr, Scratch s, Work work) {
        if (s.lo2[i] >= s.hiMin[i]) {
            float hiMin = s.hiMin[i];
            int a = label[r];
            int win = a;
            if (a < 0 || s.h[a][i] + slack(a, tn, tr) > hiMin) {
                win = 0;
                for (int c = 1; c < k; c++) {
                    if (s.h[c][i] + slack(c, tn, tr) < s.h[win][i] + slack(win, tn, tr)) {
                        win = c;
                    }
                }
            }
            float loW = s.h[win][i] - slack(win, tn, tr);
            float other = loW == s.lo1[i] ? s.lo2[i] : s.lo1[i];
            relabel(work, r, win);
            bounds(r, (float) Math.sqrt(hiMin), (float) Math.sqrt(Math.max(0f, other)));
            return true;
        }
        int w = front(i, s);
        float hw = s.h[w][i];
        float margin = 1e-5f * tn + epsC;
        float tr2 = 2f * tr;
        boolean doubt = false;
        float lowOther = Float.POSITIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            if (c == w) {
                continue;
            }
            float h = s.h[c][i];
            doubt |= h - hw < tr2 * pairNorm[w * k + c] + margin;
            lowOther = Math.min(lowOther, h - slack(c, tn, tr));
        }
        if (!doubt) {
            relabel(work, r, w);
            bounds(r, (float) Math.sqrt(hw + slack(w, tn, tr)), (float) Math.sqrt(Math.max(0f, lowOther)));
            return true;
        }
        return false;
    }

    /**
     * Decides a doubtful row by exact differences {@code d²_c − d²_w = H_c − H_w − 2 x̃·(s_c − s_w)} for the
     * centroids c the screening could not rule out; returns the dot products computed.
     */
    private int pairwise(int r, int i, float tr, Scratch s, Work work) {
        int w = front(i, s);
        float hw = s.h[w][i];
        float tn = data.norms[r];
        float margin = 1e-5f * tn + epsC;
        float tr2 = 2f * tr;
        int best = w;
        float bestE = 0f;
        float lowW = hw - slack(w, tn, tr);
        float lowOther = Float.POSITIVE_INFINITY;
        float[] e = s.e;
        int dots = 0;
        for (int c = 0; c < k; c++) {
            if (c == w) {
                continue;
            }
            float h = s.h[c][i];
            int p = w * k + c;
            if (h - hw < tr2 * pairNorm[p] + margin) {
                float ex = h - hw - 2f * (Kernels.dot(data.x, r * d, pairDiff, p * d, d) - pairMean[p]);
                dots++;
                e[c] = ex;
                if (ex < bestE) {
                    bestE = ex;
                    best = c;
                }
            } else {
                e[c] = Float.NaN;
                lowOther = Math.min(lowOther, h - slack(c, tn, tr));
            }
        }
        // lower bounds of the others: d²_c = d²_w + e_c ≥ (H_w − W_w) + e_c where e_c is exact
        for (int c = 0; c < k; c++) {
            if (c != best && (c == w || !Float.isNaN(e[c]))) {
                lowOther = Math.min(lowOther, lowW + (c == w ? 0f : e[c]));
            }
        }
        relabel(work, r, best);
        bounds(r, (float) Math.sqrt(Math.max(0f, hw + slack(w, tn, tr) + bestE)),
                (float) Math.sqrt(Math.max(0f, lowOther)));
        return dots;
    }

    /** Assigns row r (block index i) from exact products {@code s.dots[c][i] = x̃_r · c̃_c}. */
    private void exact(int r, int i, Scratch s, Work work) {
        float xn = data.norms[r];
        int best = 0;
        float bestV = Float.POSITIVE_INFINITY;
        float second = Float.POSITIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            float v = Kernels.sq(xn, cv.norms[c], s.dots[c][i]);
            if (v < bestV) {
                second = bestV;
                bestV = v;
                best = c;
            } else if (v < second) {
                second = v;
            }
        }
        relabel(work, r, best);
        bounds(r, (float) Math.sqrt(bestV), (float) Math.sqrt(second));
    }
}
