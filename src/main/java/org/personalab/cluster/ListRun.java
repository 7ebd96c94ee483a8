package org.personalab.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * K-means assignment for many clusters, with bounds that prove most assignments without computing distances.
 *
 * <p>Each row keeps its {@value #LIST} nearest centroids as of its last full search, with a lower bound on its
 * distance to each (Elkan's bounds, on that short list), one lower bound for every other centroid, and an upper
 * bound on the distance to its own centroid. Bounds are stored with the iteration they were set at and loosened
 * lazily by the centroids' cumulative drift since then, so a row whose bounds still hold costs a few reads and no
 * writes. Otherwise distances are bounded from the head coordinates ({@link Data}) and finished exactly only where
 * those bounds cannot decide; only rows whose nearest centroid may have left their list search all centroids. The
 * assignments are those of plain Lloyd; only the work differs.
 */
final class ListRun extends KMeansRun {

    /** Centroids each row tracks individually. */
    static final int LIST = 16;

    /** {@code cum.get(t)[c]}: distance travelled by centroid c from iteration 0 to t. */
    private final List<double[]> cum = new ArrayList<>();
    /** {@code since[t0]}: the most any centroid travelled from iteration t0 to now. */
    private float[] since = {0f};

    private final int m;
    private final int list;
    private final int[] stamp;
    private final float[] u0;
    private final float[] m0;
    private final float[] far;
    private final float[] lower;
    /** Centroid of each list entry, {@code n × list}; null when the list is all centroids in order. */
    private final int[] cand;

    ListRun(Data data, float[] init, int k, int maxIter, double tolAbs) {
        super(data, init, k, maxIter, tolAbs);
        this.m = data.m;
        this.list = Math.min(k, LIST);
        cum.add(new double[k]);
        stamp = new int[n];
        u0 = new float[n];
        m0 = new float[n];
        far = new float[n];
        lower = new float[n * list];
        cand = list < k ? new int[n * list] : null;
    }

    /** Per-row scratch of one block task. */
    private final class Scratch {
        final float[] acc = new float[cv.kp];
        final float[] val = new float[cv.kp];
        final float[] wide = new float[cv.kp];
        final int[] top = new int[list + 1];
        final int[] ci = new int[list + 1];
        final int[] cj = new int[list + 1];
        final float[] h = new float[list + 1];
        final float[] w = new float[list + 1];
        final float[] e = new float[list + 1];
        Work work;
    }

    /** Each thread's scratch for this run, reused across blocks. */
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    private Scratch scratch(Work w) {
        Scratch s = scratch.get();
        s.work = w;
        return s;
    }

    @Override
    void assign(int b, boolean first, Work w) {
        Scratch s = scratch(w);
        for (int r = part.start(b), end = part.end(b); r < end; r++) {
            int a = label[r];
            relabel(w, r, first || a < 0 ? fullScan(r, s) : bounded(r, a, s));
        }
    }

    private int centroidAt(int r, int j) {
        return cand == null ? j : cand[r * list + j];
    }

    private int bounded(int r, int a, Scratch s) {
        int t0 = stamp[r];
        double[] now = cum.get(iteration);
        double[] then = cum.get(t0);
        float u = u0[r] + (float) (now[a] - then[a]);
        float g = since[t0];
        float[] half = cv.half;
        if (u <= Math.max(m0[r] - g, half[a])) {
            return a;
        }
        int base = r * list;
        float rb = far[r] - g;
        float lowest = rb;
        int aAt = -1;
        for (int j = 0; j < list; j++) {
            int ci = centroidAt(r, j);
            float l = lower[base + j] - (float) (now[ci] - then[ci]);
            lower[base + j] = l;
            if (ci == a) {
                aAt = j;
            } else if (l < lowest) {
                lowest = l;
            }
        }
        far[r] = rb;
        stamp[r] = iteration;
        float skip = Math.max(lowest, half[a]);
        if (u <= skip) {
            u0[r] = u;
            m0[r] = lowest;
            return a;
        }
        float ha = headPart(r, a);
        float wa = slack(r, a);
        float hiA = Math.min(ha + wa, u * u);
        if (hiA <= skip * skip) {
            u0[r] = (float) Math.sqrt(hiA);
            m0[r] = lowest;
            return a;
        }
        // candidates: the own centroid and list entries whose lower bound is below the best upper bound so far
        int nc = 1;
        s.ci[0] = a;
        s.cj[0] = aAt;
        s.h[0] = ha;
        s.w[0] = wa;
        float upperSq = hiA;
        int win = 0;
        for (int j = 0; j < list; j++) {
            int ci = centroidAt(r, j);
            float l = lower[base + j];
            if (ci == a || l > 0 && l * l >= upperSq) {
                continue;
            }
            float h = headPart(r, ci);
            float w = slack(r, ci);
            s.ci[nc] = ci;
            s.cj[nc] = j;
            s.h[nc] = h;
            s.w[nc] = w;
            if (h + w < upperSq) {
                upperSq = h + w;
                win = nc;
            }
            nc++;
        }
        boolean overlap = rb < 0 || rb * rb < upperSq;
        for (int q = 0; q < nc && !overlap; q++) {
            overlap = q != win && s.h[q] - s.w[q] < upperSq;
        }
        int best = win;
        float bestD = (float) Math.sqrt(upperSq);
        Arrays.fill(s.e, 0, nc, Float.NaN);
        if (overlap) {
            bestD = Float.POSITIVE_INFINITY;
            for (int q = 0; q < nc; q++) {
                if (q == win || s.h[q] - s.w[q] < upperSq) {
                    float e = finish(s.h[q], r, s.ci[q]);
                    s.work.exact++;
                    s.e[q] = e;
                    if (e < bestD) {
                        bestD = e;
                        best = q;
                    }
                }
            }
            if (rb < bestD) {
                return fullScan(r, s);
            }
        }
        for (int q = 0; q < nc; q++) {
            if (s.cj[q] >= 0) {
                float lo = s.h[q] - s.w[q];
                float v = Float.isNaN(s.e[q]) ? (float) Math.sqrt(lo > 0f ? lo : 0f) : s.e[q];
                lower[base + s.cj[q]] = Math.max(lower[base + s.cj[q]], v);
            }
        }
        int nb = s.ci[best];
        u0[r] = bestD;
        m0[r] = lowestOther(r, nb);
        return nb;
    }

    /** Smallest lower bound over centroids other than {@code own} (list entries and the rest). */
    private float lowestOther(int r, int own) {
        int base = r * list;
        float mn = far[r];
        for (int j = 0; j < list; j++) {
            if (centroidAt(r, j) != own && lower[base + j] < mn) {
                mn = lower[base + j];
            }
        }
        return mn;
    }

    /** Head part of the squared distance, {@code ‖x̃‖² + ‖c̃‖² − 2 z·g}; the term −2 x̃·s is still missing. */
    private float headPart(int r, int i) {
        return data.norms[r] + cv.norms[i] - 2f * Kernels.dot(data.head, r * m, cv.head, i * m, m);
    }

    /** Exact distance from the head part. */
    private float finish(float headPart, int r, int i) {
        float v = headPart - 2f * data.dot(r, cv.off, i * d, cv.offMeanDot[i]);
        return (float) Math.sqrt(v > 0f ? v : 0f);
    }

    /** Bound on {@code |2 x̃·s|} (Cauchy–Schwarz), widened by the rounding of the float sums. */
    private float slack(int r, int i) {
        return 2f * data.rest[r] * cv.offNorm[i] + 1e-5f * (data.norms[r] + cv.norms[i]) + 1e-6f;
    }

    /**
     * Searches all centroids (head bounds for all, vectorized, when k is large; exact where they cannot rule a
     * centroid out), then rebuilds the row's list and bounds. Returns the nearest centroid.
     */
    private int fullScan(int r, Scratch s) {
        float[] acc = s.acc;
        float[] val = s.val;
        float xn = data.norms[r];
        int best = 0;
        float bestV = Float.POSITIVE_INFINITY;
        if (cv.headT == null) {
            Kernels.dotsFew(data.x, r * d, d, cv.centred, 0, d, k, acc, false);
            s.work.exact += k;
            for (int i = 0; i < k; i++) {
                float v = Kernels.sq(xn, cv.norms[i], acc[i] - cv.meanDot[i]);
                val[i] = v;
                if (v < bestV) {
                    bestV = v;
                    best = i;
                }
            }
        } else {
            Kernels.axpyRows(data.head, r * m, m, cv.headT, 0, cv.kp, acc, false);
            float[] wide = s.wide;
            float tr = 2f * data.rest[r];
            float hiMin = Float.POSITIVE_INFINITY;
            for (int i = 0; i < k; i++) {
                float h = xn + cv.norms[i] - 2f * acc[i];
                float w = tr * cv.offNorm[i] + 1e-5f * (xn + cv.norms[i]) + 1e-6f;
                acc[i] = h;
                wide[i] = w;
                hiMin = Math.min(hiMin, h + w);
            }
            for (int i = 0; i < k; i++) {
                float lo = acc[i] - wide[i];
                if (lo < hiMin) {
                    float e = finish(acc[i], r, i);
                    s.work.exact++;
                    float v = e * e;
                    val[i] = v;
                    if (v < bestV) {
                        bestV = v;
                        best = i;
                    }
                } else {
                    val[i] = lo > 0f ? lo : 0f;
                }
            }
        }
        stamp[r] = iteration;
        u0[r] = (float) Math.sqrt(bestV);
        int base = r * list;
        if (cand == null) {
            for (int i = 0; i < k; i++) {
                lower[base + i] = (float) Math.sqrt(val[i]);
            }
            far[r] = Float.POSITIVE_INFINITY;
        } else {
            int kept = smallest(val, s.top);
            for (int j = 0; j < list; j++) {
                cand[base + j] = s.top[j];
                lower[base + j] = (float) Math.sqrt(val[s.top[j]]);
            }
            far[r] = kept > list ? (float) Math.sqrt(val[s.top[list]]) : Float.POSITIVE_INFINITY;
        }
        m0[r] = lowestOther(r, best);
        return best;
    }

    /** Indices of the {@code list + 1} smallest values, ascending (ties: lower index first); returns how many. */
    private int smallest(float[] val, int[] top) {
        int cnt = 0;
        int cap = top.length;
        for (int i = 0; i < k; i++) {
            float v = val[i];
            if (cnt == cap && v >= val[top[cap - 1]]) {
                continue;
            }
            int p = cnt == cap ? cap - 1 : cnt++;
            while (p > 0 && val[top[p - 1]] > v) {
                top[p] = top[p - 1];
                p--;
            }
            top[p] = i;
        }
        return cnt;
    }


    @Override
    void updated() {
        double[] prev = cum.get(iteration - 1);
        double[] now = new double[k];
        for (int i = 0; i < k; i++) {
            now[i] = prev[i] + drift[i];
        }
        cum.add(now);
        since = new float[iteration + 1];
        for (int t = 0; t <= iteration; t++) {
            double[] then = cum.get(t);
            double mx = 0;
            for (int i = 0; i < k; i++) {
                mx = Math.max(mx, now[i] - then[i]);
            }
            since[t] = (float) mx;
        }
    }

    @Override
    void relocated(int row) {
        stamp[row] = iteration;
        u0[row] = 0f;
        m0[row] = 0f;
        far[row] = 0f;
        Arrays.fill(lower, row * list, (row + 1) * list, 0f);
    }
}
