package org.personalab.cluster;

import java.util.ArrayList;
import java.util.List;
import org.personalab.task.TaskContext;

/**
 * A complete clustering of a feature matrix: k-means, its stability, the sampled silhouette, and the 2D PCA
 * projection of everyone.
 *
 * <p>Stability is the adjusted Rand index (ARI) of partitions that differ only in their random start. By default
 * it comes free from the fit itself: each of the {@code nInit} restarts is an independent k-means++ start, and each
 * restart's labels are compared with the kept restart's ({@link StabilityBasis#RESTARTS}). Asked for explicitly
 * ({@code stabilitySeeds > 0}), whole fits with seeds seed+1, seed+2, … (each with all its restarts) are compared
 * with the kept one instead ({@link StabilityBasis#SEEDS}); that answers "would another seed give the same
 * clusters?" for the best-of-restarts fit itself, but costs {@code stabilitySeeds} more fits (all run together).
 */
public final class Clustering {

    /**
     * @param silhouetteSample rows the silhouette is computed on (seeded by the k-means seed)
     * @param stabilitySeeds   extra fits with seeds seed+1, seed+2, … compared with the kept one (0: compare the
     *                         restarts of the fit instead, which costs nothing)
     * @param pcaRows          rows the PCA covariance is estimated from at most
     */
    public record Options(int silhouetteSample, int stabilitySeeds, int pcaRows) {
        public static final Options DEFAULT = new Options(2000, 0, Pca.DEFAULT_MAX_ROWS);

        public Options {
            if (silhouetteSample < 2 || stabilitySeeds < 0 || pcaRows < 2) {
                throw new IllegalArgumentException("silhouette sample ≥ 2, stability seeds ≥ 0, PCA rows ≥ 2");
            }
        }
    }

    /** What the stability ARIs compare the kept fit with. */
    public enum StabilityBasis {
        /** Nothing (one restart and no extra seeds). */
        NONE("none"),
        /** Each other restart of the same fit. */
        RESTARTS("restarts"),
        /** Whole fits with seeds seed+1, seed+2, …. */
        SEEDS("seeds");

        private final String key;

        StabilityBasis(String key) {
            this.key = key;
        }

        /** The name stored with a clustering's metrics. */
        public String key() {
            return key;
        }
    }

    /**
     * @param kmeans         the kept fit
     * @param silhouette     mean silhouette on the sample (NaN for k = 1)
     * @param stability      ARI against each other restart (in restart order) or each extra seed's fit
     * @param stabilityBasis which of the two {@code stability} holds
     * @param pca            the projection's components and explained variance
     * @param xy             2D coordinates of every row, {@code n × 2}
     */
    public record Result(FeatureMatrix features, KMeansParams params, KMeansResult kmeans, double silhouette,
            double[] stability, StabilityBasis stabilityBasis, Pca pca, float[] xy) {

        public double meanStability() {
            double s = 0;
            for (double v : stability) {
                s += v;
            }
            return stability.length == 0 ? Double.NaN : s / stability.length;
        }

        /** The restarts (0-based) {@link #stability} compares with, for {@link StabilityBasis#RESTARTS}. */
        public int[] comparedRestarts() {
            if (stabilityBasis != StabilityBasis.RESTARTS) {
                return new int[0];
            }
            int[] out = new int[stability.length];
            for (int i = 0, j = 0; i < kmeans.restartAgreement().length; i++) {
                if (i != kmeans.bestRestart()) {
                    out[j++] = i;
                }
            }
            return out;
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
        boolean fromRestarts = o.stabilitySeeds() == 0 && p.nInit() > 1;
        ctx.message("K-means: k = " + p.k() + ", " + p.nInit() + " restart(s)"
                + (o.stabilitySeeds() > 0 ? ", " + o.stabilitySeeds() + " more seed(s) for stability" : ""));
        List<KMeansResult> fits = KMeans.fitMany(f.data(), f.rows(), f.cols(), all, fromRestarts, ctx);
        KMeansResult main = fits.get(0);
        double[] stability;
        StabilityBasis basis;
        if (o.stabilitySeeds() > 0) {
            basis = StabilityBasis.SEEDS;
            stability = new double[o.stabilitySeeds()];
            for (int i = 0; i < stability.length; i++) {
                stability[i] = AdjustedRand.of(main.labels(), fits.get(i + 1).labels());
            }
        } else if (fromRestarts) {
            basis = StabilityBasis.RESTARTS;
            stability = new double[p.nInit() - 1];
            for (int i = 0, j = 0; i < p.nInit(); i++) {
                if (i != main.bestRestart()) {
                    stability[j++] = main.restartAgreement()[i];
                }
            }
        } else {
            basis = StabilityBasis.NONE;
            stability = new double[0];
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
        return new Result(f, p, main, sil, stability, basis, pca, xy);
    }
}
