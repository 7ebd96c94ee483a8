package org.personalab.data;

/**
 * The numerical pieces of the synthetic population's latent Gaussian model: Cholesky factorisation, the nearest
 * correlation matrix with a floor on its eigenvalues (cyclic Jacobi), the standard normal density and its inverse
 * CDF, and category thresholds.
 */
final class LatentGaussian {

    private LatentGaussian() {
    }

    /**
     * The correlation matrix nearest in spirit to {@code c} with eigenvalues at least {@code floor}: eigenvalues below
     * the floor are raised to it, and the result is rescaled to a unit diagonal. Unlike uniform shrinkage this leaves
     * the large correlations almost untouched; only the directions of (noise) eigenvalues below the floor change.
     */
    static double[][] clipEigenvalues(double[][] c, double floor) {
        int k = c.length;
        double[][] a = new double[k][];
        for (int i = 0; i < k; i++) {
            a[i] = c[i].clone();
        }
        double[][] v = new double[k][k];
        for (int i = 0; i < k; i++) {
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) { // cyclic Jacobi rotations: A = V diag(a) V^T
            double off = 0;
            for (int p = 0; p < k; p++) {
                for (int q = p + 1; q < k; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off < 1e-24) {
                break;
            }
            for (int p = 0; p < k; p++) {
                for (int q = p + 1; q < k; q++) {
                    if (Math.abs(a[p][q]) < 1e-300) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    t = theta == 0 ? 1 : t;
                    double cs = 1 / Math.sqrt(t * t + 1);
                    double sn = t * cs;
                    rotate(a, v, p, q, cs, sn);
                }
            }
        }
        double[] lambda = new double[k];
        for (int i = 0; i < k; i++) {
            lambda[i] = Math.max(floor, a[i][i]);
        }
        double[][] b = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int m = 0; m < k; m++) {
                    s += v[i][m] * lambda[m] * v[j][m];
                }
                b[i][j] = s;
                b[j][i] = s;
            }
        }
        double[][] out = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                out[i][j] = i == j ? 1 : b[i][j] / Math.sqrt(b[i][i] * b[j][j]);
            }
        }
        return out;
    }

    /** A ← JᵀAJ and V ← VJ for the Jacobi rotation J of the plane (p, q). */
    private static void rotate(double[][] a, double[][] v, int p, int q, double cs, double sn) {
        int k = a.length;
        for (int m = 0; m < k; m++) {
            double amp = a[m][p];
            double amq = a[m][q];
            a[m][p] = cs * amp - sn * amq;
            a[m][q] = sn * amp + cs * amq;
        }
        for (int m = 0; m < k; m++) {
            double apm = a[p][m];
            double aqm = a[q][m];
            a[p][m] = cs * apm - sn * aqm;
            a[q][m] = sn * apm + cs * aqm;
            double vmp = v[m][p];
            double vmq = v[m][q];
            v[m][p] = cs * vmp - sn * vmq;
            v[m][q] = sn * vmp + cs * vmq;
        }
    }

    /** Lower Cholesky factor of a symmetric matrix, or null when it is not (numerically) positive definite. */
    static double[][] cholesky(double[][] a) {
        int k = a.length;
        double[][] l = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int m = 0; m < j; m++) {
                    s -= l[i][m] * l[j][m];
                }
                if (i == j) {
                    if (s <= 1e-6) {
                        return null;
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }

    /** Standard normal density; 0 at ±infinity. */
    static double density(double z) {
        return Double.isInfinite(z) ? 0 : Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    }

    /** The 6 cut points -inf, t1..t4, +inf of a latent N(0,1) that give these (unnormalised) probabilities. */
    static double[] thresholds(double[] p) {
        double total = 0;
        for (double v : p) {
            total += v;
        }
        double[] t = new double[6];
        t[0] = Double.NEGATIVE_INFINITY;
        t[5] = Double.POSITIVE_INFINITY;
        double cum = 0;
        for (int c = 1; c <= 4; c++) {
            cum += p[c - 1];
            t[c] = inverseNormalCdf(cum / total);
        }
        return t;
    }

    /** Φ⁻¹(p) by Wichura's AS241 (PPND16, relative error about 1e-16); ±infinity at 0 and 1. */
    static double inverseNormalCdf(double p) {
        if (p <= 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (p >= 1) {
            return Double.POSITIVE_INFINITY;
        }
        double q = p - 0.5;
        if (Math.abs(q) <= 0.425) {
            double r = 0.180625 - q * q;
            return q * (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r
                    + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r
                    + 133.14166789178437745) * r + 3.387132872796366608)
                    / (((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061) * r
                    + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r
                    + 42.313330701600911252) * r + 1.0);
        }
        double r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
        double x;
        if (r <= 5) {
            r -= 1.6;
            x = (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r
                    + 1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r
                    + 4.6303378461565452959) * r + 1.42343711074968357734)
                    / (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966)
                    * r + 0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r
                    + 2.05319162663775882187) * r + 1.0);
        } else {
            r -= 5;
            x = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386)
                    * r + 0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r
                    + 5.4637849111641143699) * r + 6.6579046435011037772)
                    / (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r
                    + 1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r + 0.0148753612908506148525) * r
                    + 0.13692988092273580531) * r + 0.59983220655588793769) * r + 1.0);
        }
        return q < 0 ? -x : x;
    }
}
