package org.personalab.cluster;

import java.util.ArrayList;
import java.util.List;
import org.personalab.task.TaskContext;

/**
 * A complete clustering of a feature matrix: k-means, its stability across other seeds (adjusted Rand index of
 * each seed's labels against the kept ones, all fits run together), the sampled silhouette, and the 2D PCA
 * projection of everyone.
 */
public final class Clustering {

    /**
     * @param silhouetteSample rows the silhouette is computed on (seeded by the k-means seed)
     * @param stabilitySeeds   extra fits with seeds seed+1, seed+2, … compared with the kept one (0: none)
     * @param pcaRows          rows the PCA covariance is estimated from at most
     */
    public record Options(int silhouetteSample, int stabilitySeeds, int pcaRows) {
        public static final Options DEFAULT = new Options(2000, 2, Pca.DEFAULT_MAX_ROWS);

        public Options {
            if (silhouetteSample < 2 || stabilitySeeds < 0 || pcaRows < 2) {
                throw new IllegalArgumentException("silhouette sample ≥ 2, stability seeds ≥ 0, PCA rows ≥ 2");
            }
        }
    }

    /**
     * @param kmeans      the kept fit
     * @param silhouette  mean silhouette on the sample (NaN for k = 1)
     * @param stability   ARI against the fit with seed + 1, seed + 2, …
     * @param pca         the projection's components and explained variance
     * @param xy          2D coordinates of every row, {@code n × 2}
     */
    public record Result(FeatureMatrix features, KMeansParams params, KMeansResult kmeans, double silhouette,
            double[] stability, Pca pca, float[] xy) {

        public double meanStability() {
            double s = 0;
            for (double v : stability) {
                s += v;
            }
            return stability.length == 0 ? Double.NaN : s / stability.length;
        }
    }

    private Clustering() {
    }

    public static Result run(FeatureMatrix f, KMeansParams p, Options o, TaskContext ctx) {
        List<KMeansParams> all = new ArrayList<>();
        all.add(p);
        for (int i = 1; i <= o.stabilitySeeds(); i++) {
            all.add(p.withSeed(p.seed() + i));
        }
        ctx.message("K-means: k = " + p.k() + ", " + p.nInit() + " restart(s)"
                + (o.stabilitySeeds() > 0 ? ", " + o.stabilitySeeds() + " more seed(s) for stability" : ""));
        List<KMeansResult> fits = KMeans.fitMany(f.data(), f.rows(), f.cols(), all, ctx);
        KMeansResult main = fits.get(0);
        double[] stability = new double[o.stabilitySeeds()];
        for (int i = 0; i < stability.length; i++) {
            stability[i] = AdjustedRand.of(main.labels(), fits.get(i + 1).labels());
        }
        ctx.checkCancelled();
        ctx.message("Silhouette and 2D projection");
        double sil = p.k() < 2 ? Double.NaN
                : Silhouette.of(f.data(), f.rows(), f.cols(), main.labels(),
                        Silhouette.sample(f.rows(), o.silhouetteSample(), p.seed()));
        Pca pca = Pca.fit(f.data(), f.rows(), f.cols(), o.pcaRows());
        float[] xy = pca.project(f.data(), f.rows(), f.cols(), Math.min(2, f.cols()));
        if (f.cols() < 2) {
            float[] two = new float[f.rows() * 2];
            for (int r = 0; r < f.rows(); r++) {
                two[2 * r] = xy[r];
            }
            xy = two;
        }
        return new Result(f, p, main, sil, stability, pca, xy);
    }
}
