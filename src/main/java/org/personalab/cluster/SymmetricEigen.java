package org.personalab.cluster;

/**
 * Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations (exact to rounding, deterministic).
 * Eigenvalues come out in decreasing order; each eigenvector's largest-magnitude component is made positive so the
 * signs are reproducible.
 */
final class SymmetricEigen {

    final double[] values;
    /** {@code vectors[i]} is the unit eigenvector of {@code values[i]}. */
    final double[][] vectors;

    private SymmetricEigen(double[] values, double[][] vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    static SymmetricEigen of(double[][] matrix) {
        int d = matrix.length;
        double[][] a = new double[d][];
        for (int i = 0; i < d; i++) {
            a[i] = matrix[i].clone();
        }
        double[][] v = new double[d][d];
        for (int i = 0; i < d; i++) {
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double diag = 0;
            for (int p = 0; p < d; p++) {
                diag += a[p][p] * a[p][p];
                for (int q = p + 1; q < d; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off <= 1e-30 * Math.max(diag, 1e-300)) {
                break;
            }
            for (int p = 0; p < d; p++) {
                for (int q = p + 1; q < d; q++) {
                    if (a[p][q] != 0) {
                        rotate(a, v, p, q);
                    }
                }
            }
        }
        Integer[] idx = new Integer[d];
        for (int i = 0; i < d; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (x, y) -> {
            int c = Double.compare(a[y][y], a[x][x]);
            return c != 0 ? c : Integer.compare(x, y);
        });
        double[] values = new double[d];
        double[][] vectors = new double[d][d];
        for (int i = 0; i < d; i++) {
            int c = idx[i];
            values[i] = a[c][c];
            int big = 0;
            for (int j = 0; j < d; j++) {
                vectors[i][j] = v[j][c];
                if (Math.abs(vectors[i][j]) > Math.abs(vectors[i][big])) {
                    big = j;
                }
            }
            if (vectors[i][big] < 0) {
                for (int j = 0; j < d; j++) {
                    vectors[i][j] = -vectors[i][j];
                }
            }
        }
        return new SymmetricEigen(values, vectors);
    }

    /** One Jacobi rotation zeroing a[p][q] (Numerical Recipes' stable form); v accumulates the rotations. */
    private static void rotate(double[][] a, double[][] v, int p, int q) {
        int d = a.length;
        double apq = a[p][q];
        double theta = (a[q][q] - a[p][p]) / (2 * apq);
        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        if (theta == 0) {
            t = 1;
        }
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        double tau = s / (1 + c);
        a[p][p] -= t * apq;
        a[q][q] += t * apq;
        a[p][q] = 0;
        a[q][p] = 0;
        for (int r = 0; r < d; r++) {
            if (r != p && r != q) {
                double arp = a[r][p];
                double arq = a[r][q];
                a[r][p] = arp - s * (arq + tau * arp);
                a[p][r] = a[r][p];
                a[r][q] = arq + s * (arp - tau * arq);
                a[q][r] = a[r][q];
            }
            double vrp = v[r][p];
            double vrq = v[r][q];
            v[r][p] = vrp - s * (vrq + tau * vrp);
            v[r][q] = vrq + s * (vrp - tau * vrq);
        }
    }
}
