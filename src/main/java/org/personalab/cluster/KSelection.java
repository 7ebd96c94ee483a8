package org.personalab.cluster;

import java.util.ArrayList;
import java.util.List;
import org.personalab.task.TaskContext;

/**
 * The data for choosing k: inertia (for the elbow) and sampled silhouette for each k of a range, all fitted
 * together ({@link KMeans#fitMany}) and scored on the same silhouette sample.
 */
public final class KSelection {

    /** One k: inertia of the kept restart, its silhouette on the sample, iterations it took. */
    public record Point(int k, double inertia, double silhouette, int iterations) {
    }

    private KSelection() {
    }

    public static List<Point> compute(float[] x, int n, int d, int kFrom, int kTo, KMeansParams base,
            int silhouetteSample, TaskContext ctx) {
        if (kFrom < 1 || kTo < kFrom) {
            throw new IllegalArgumentException("k range must be 1 ≤ from ≤ to, got " + kFrom + ".." + kTo);
        }
        if (kTo > n) {
            throw new IllegalArgumentException("k up to " + kTo + " needs at least as many people; there are " + n);
        }
        List<KMeansParams> ps = new ArrayList<>();
        for (int k = kFrom; k <= kTo; k++) {
            ps.add(base.withK(k));
        }
        List<KMeansResult> fits = KMeans.fitMany(x, n, d, ps, ctx);
        int[] rows = Silhouette.sample(n, silhouetteSample, base.seed());
        List<Point> out = new ArrayList<>();
        for (KMeansResult r : fits) {
            ctx.checkCancelled();
            double sil = r.k() < 2 ? Double.NaN : Silhouette.of(x, n, d, r.labels(), rows);
            out.add(new Point(r.k(), r.inertia(), sil, r.iterations()));
        }
        return out;
    }
}
