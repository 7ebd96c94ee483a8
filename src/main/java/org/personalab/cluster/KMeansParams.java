package org.personalab.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * K-means settings, with scikit-learn's meanings.
 *
 * @param k       clusters
 * @param nInit   restarts from different k-means++ seeds; the one with the lowest inertia is kept
 * @param maxIter Lloyd iterations per restart at most
 * @param tol     relative tolerance: a restart stops when the squared Frobenius norm of the centroid shift is at most
 *                {@code tol} × the mean variance of the features (or when no label changes)
 * @param seed    everything random derives from it: same seed and data, same result
 */
public record KMeansParams(int k, int nInit, int maxIter, double tol, long seed) {

    public static final int DEFAULT_N_INIT = 10;
    public static final int DEFAULT_MAX_ITER = 300;
    public static final double DEFAULT_TOL = 1e-4;

    public KMeansParams {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (nInit < 1) {
            throw new IllegalArgumentException("restarts (n_init) must be at least 1, got " + nInit);
        }
        if (maxIter < 1) {
            throw new IllegalArgumentException("max iterations must be at least 1, got " + maxIter);
        }
        if (!(tol >= 0) || Double.isInfinite(tol)) {
            throw new IllegalArgumentException("tolerance must be a non-negative number, got " + tol);
        }
    }

    public static KMeansParams of(int k, long seed) {
        return new KMeansParams(k, DEFAULT_N_INIT, DEFAULT_MAX_ITER, DEFAULT_TOL, seed);
    }

    public KMeansParams withK(int newK) {
        return new KMeansParams(newK, nInit, maxIter, tol, seed);
    }

    public KMeansParams withSeed(long newSeed) {
        return new KMeansParams(k, nInit, maxIter, tol, newSeed);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("k", k);
        m.put("nInit", nInit);
        m.put("maxIter", maxIter);
        m.put("tol", tol);
        m.put("seed", seed);
        m.put("init", "greedy k-means++ (2 + ln k local trials)");
        m.put("algorithm", "Lloyd (exact assignments; distance bounds skip provably unchanged rows)");
        return m;
    }
}
