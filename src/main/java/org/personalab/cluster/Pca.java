package org.personalab.cluster;

/**
 * Principal components of a feature matrix: column means over all rows, covariance over all rows or an evenly spaced
 * subsample (every ⌈n / maxRows⌉-th row), eigen-decomposed by Jacobi rotations. Deterministic.
 *
 * @param mean           per column
 * @param components     unit eigenvectors, largest eigenvalue first ({@code components[i][j]})
 * @param eigenvalues    variances along the components, decreasing
 * @param explainedRatio each eigenvalue ÷ their sum (total variance)
 * @param rowsUsed       rows the covariance was computed from
 */
public record Pca(double[] mean, double[][] components, double[] eigenvalues, double[] explainedRatio,
        int rowsUsed) {

    /** Rows the covariance is computed from at most, by default. */
    public static final int DEFAULT_MAX_ROWS = 200_000;

    public static Pca fit(float[] x, int n, int d, int maxRows) {
        double[] mean = columnMeans(x, n, d);
        int step = Math.max(1, (n + maxRows - 1) / Math.max(1, maxRows));
        int used = (n + step - 1) / step;
        int rowsPerBlock = 1024;
        int blocks = Blocks.count(used, rowsPerBlock);
        double[][] part = new double[blocks][];
        float[] mf = new float[d];
        for (int j = 0; j < d; j++) {
            mf[j] = (float) mean[j];
        }
        Blocks.run(blocks, b -> {
            float[][] acc = new float[d][d];
            float[] row = new float[d];
            for (int s = b * rowsPerBlock, end = Math.min(used, s + rowsPerBlock); s < end; s++) {
                int o = s * step * d;
                for (int j = 0; j < d; j++) {
                    row[j] = x[o + j] - mf[j];
                }
                for (int j = 0; j < d; j++) {
                    float v = row[j];
                    float[] a = acc[j];
                    for (int l = 0; l <= j; l++) {
                        a[l] += v * row[l];
                    }
                }
            }
            double[] out = new double[d * d];
            for (int j = 0; j < d; j++) {
                for (int l = 0; l <= j; l++) {
                    out[j * d + l] = acc[j][l];
                }
            }
            part[b] = out;
        });
        double[][] cov = new double[d][d];
        for (double[] p : part) {
            for (int j = 0; j < d; j++) {
                for (int l = 0; l <= j; l++) {
                    cov[j][l] += p[j * d + l];
                }
            }
        }
        for (int j = 0; j < d; j++) {
            for (int l = 0; l <= j; l++) {
                cov[j][l] /= Math.max(1, used);
                cov[l][j] = cov[j][l];
            }
        }
        SymmetricEigen e = SymmetricEigen.of(cov);
        double total = 0;
        for (double v : e.values) {
            total += Math.max(0, v);
        }
        double[] ratio = new double[d];
        for (int i = 0; i < d; i++) {
            ratio[i] = total > 0 ? Math.max(0, e.values[i]) / total : 0;
        }
        return new Pca(mean, e.vectors, e.values, ratio, used);
    }

    static double[] columnMeans(float[] x, int n, int d) {
        int blocks = Blocks.count(n);
        double[][] part = new double[blocks][];
        Blocks.run(blocks, b -> {
            double[] s = new double[d];
            for (int r = b * Blocks.ROWS, end = Math.min(n, r + Blocks.ROWS); r < end; r++) {
                for (int j = 0; j < d; j++) {
                    s[j] += x[r * d + j];
                }
            }
            part[b] = s;
        });
        double[] mean = new double[d];
        for (double[] s : part) {
            for (int j = 0; j < d; j++) {
                mean[j] += s[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= Math.max(1, n);
        }
        return mean;
    }

    /** Coordinates of every row on the first {@code dims} components: {@code n × dims} row-major. */
    public float[] project(float[] x, int n, int d, int dims) {
        float[] out = new float[n * dims];
        Blocks.run(Blocks.count(n), b -> {
            for (int r = b * Blocks.ROWS, end = Math.min(n, r + Blocks.ROWS); r < end; r++) {
                for (int c = 0; c < dims; c++) {
                    double s = 0;
                    double[] v = components[c];
                    for (int j = 0; j < d; j++) {
                        s += (x[r * d + j] - mean[j]) * v[j];
                    }
                    out[r * dims + c] = (float) s;
                }
            }
        });
        return out;
    }

    /** Share of the total variance on the first {@code dims} components. */
    public double explained(int dims) {
        double s = 0;
        for (int i = 0; i < Math.min(dims, explainedRatio.length); i++) {
            s += explainedRatio[i];
        }
        return s;
    }
}
