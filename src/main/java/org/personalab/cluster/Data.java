package org.personalab.cluster;

/**
 * The rows k-means works on, with what all runs share. The rows are also kept centred and block by block transposed
 * ({@link #tiles}: {@code tiles[b][j][i]} is feature j of row {@code part.start(b) + i} minus its mean), so that
 * distances from many rows to a few points are computed with the rows as the vectorized dimension.
 *
 * <p>Each row also gets its coordinates on the first {@link #m} principal axes (its head). With x̃ = x − mean split
 * into its head part and the rest, and a centroid split the same way,
 * {@code ‖x̃−c̃‖² = ‖x̃‖² + ‖c̃‖² − 2 z·g − 2 x̃·s}, where z and g are the head coordinates and s is the centroid's part
 * off the head axes, and
 * {@code |x̃·s| ≤ ‖x̃ − head part‖ ‖s‖}. Centroids are averages, so most of their spread lies on the head axes and a
 * distance can usually be bounded from m coordinates instead of d.
 */
final class Data {

    /** Rows the principal axes are estimated from at most. */
    private static final int AXES_ROWS = 20_000;

    final float[] x;
    final int n;
    final int d;
    /** Head width. */
    final int m;
    /** The blocks all runs on this data share. */
    final RowBlocks part;
    /** Per block: the centred rows transposed, {@code tiles[b][j][i]}. */
    final float[][][] tiles;
    /** Per block: head coordinates transposed, {@code headTiles[b][q][i]}. */
    final float[][][] headTiles;
    /** Per block: {@link #norms} and {@link #rest} of its rows. */
    final float[][] normTiles;
    final float[][] restTiles;
    /** {@code n × m} head coordinates row by row, or null when not asked for. */
    final float[] head;
    /** ‖x̃‖² of each row. */
    final float[] norms;
    /** ‖x̃ − its head part‖ of each row. */
    final float[] rest;
    /** Column means. */
    final float[] mean;
    /** {@code axes[q*d + j]}: component j of head axis q. */
    final float[] axes;

    /**
     * @param rowHeads also keep head coordinates row by row (for per-row bounds)
     */
    Data(float[] x, int n, int d, int headWidth, boolean rowHeads) {
        if ((long) n * d != x.length) {
            throw new IllegalArgumentException("data is not " + n + " × " + d);
        }
        this.x = x;
        this.n = n;
        this.d = d;
        this.m = Math.min(d, headWidth);
        this.part = RowBlocks.of(n, d);
        Pca pca = Pca.fit(x, n, d, AXES_ROWS);
        this.mean = new float[d];
        for (int j = 0; j < d; j++) {
            mean[j] = (float) pca.mean()[j];
        }
        this.axes = new float[m * d];
        for (int q = 0; q < m; q++) {
            for (int j = 0; j < d; j++) {
                axes[q * d + j] = (float) pca.components()[q][j];
            }
        }
        this.tiles = new float[part.count()][][];
        this.headTiles = new float[part.count()][][];
        this.normTiles = new float[part.count()][];
        this.restTiles = new float[part.count()][];
        this.head = rowHeads ? new float[n * m] : null;
        this.norms = new float[n];
        this.rest = new float[n];
        Blocks.run(part.count(), this::prepare);
    }

    /**
     * Head width: about 24-32 axes carry most of the centroids' spread for IPIP-sized feature sets; more centroids
     * need more axes to be told apart.
     */
    static int headWidth(int maxK) {
        return maxK <= DenseRun.MAX_K ? 24 : 32;
    }

    /** Transposes block b, and computes its centred norms and head coordinates (vectorized over its rows). */
    private void prepare(int b) {
        int r0 = part.start(b);
        int size = part.size(b);
        float[][] t = new float[d][size];
        for (int i = 0; i < size; i++) {
            int o = (r0 + i) * d;
            for (int j = 0; j < d; j++) {
                t[j][i] = x[o + j] - mean[j];
            }
        }
        tiles[b] = t;
        double[] nn = new double[size];
        for (int j = 0; j < d; j++) {
            float[] tj = t[j];
            for (int i = 0; i < size; i++) {
                nn[i] += (double) tj[i] * tj[i];
            }
        }
        float[][] h = new float[m][size];
        double[] hh = new double[size];
        for (int q = 0; q < m; q++) {
            float[] hq = h[q];
            for (int j = 0; j < d; j++) {
                float a = axes[q * d + j];
                float[] tj = t[j];
                for (int i = 0; i < size; i++) {
                    hq[i] += a * tj[i];
                }
            }
            for (int i = 0; i < size; i++) {
                hh[i] += (double) hq[i] * hq[i];
            }
        }
        headTiles[b] = h;
        float[] nt = new float[size];
        float[] rt = new float[size];
        for (int i = 0; i < size; i++) {
            nt[i] = (float) nn[i];
            rt[i] = (float) Math.sqrt(Math.max(0, nn[i] - hh[i]));
            norms[r0 + i] = nt[i];
            rest[r0 + i] = rt[i];
            if (head != null) {
                for (int q = 0; q < m; q++) {
                    head[(r0 + i) * m + q] = h[q][i];
                }
            }
        }
        normTiles[b] = nt;
        restTiles[b] = rt;
    }

    /** {@code x̃_r · v} for a centred vector v at {@code v[vo..]} whose mean product {@code mean · v} is given. */
    float dot(int r, float[] v, int vo, float meanDot) {
        return Kernels.dot(x, r * d, v, vo, d) - meanDot;
    }

    /** {@code mean · v[vo..vo+d)}. */
    float meanDot(float[] v, int vo) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += (double) mean[j] * v[vo + j];
        }
        return (float) s;
    }

    /** Row r centred into {@code out[off..]}. */
    void centred(int r, float[] out, int off) {
        for (int j = 0; j < d; j++) {
            out[off + j] = x[r * d + j] - mean[j];
        }
    }

    /** {@code out[i] = x̃_r · v} for the rows r of block b (centred), vectorized over the rows. */
    void dots(int b, float[] v, int vo, float[] out) {
        float[][] t = tiles[b];
        int size = part.size(b);
        float v0 = v[vo];
        float[] t0 = t[0];
        for (int i = 0; i < size; i++) {
            out[i] = v0 * t0[i];
        }
        for (int j = 1; j < d; j++) {
            float vj = v[vo + j];
            float[] tj = t[j];
            for (int i = 0; i < size; i++) {
                out[i] += vj * tj[i];
            }
        }
    }

    private double totalSquares = Double.NaN;

    /** {@code Σ_r ‖x_r‖²} over the uncentred rows, in double (computed once). */
    synchronized double totalSquares() {
        if (Double.isNaN(totalSquares)) {
            int blocks = part.count();
            double[] part2 = new double[blocks];
            Blocks.run(blocks, b -> {
                double s = 0;
                for (int r = part.start(b), end = part.end(b); r < end; r++) {
                    for (int j = 0; j < d; j++) {
                        double v = x[r * d + j];
                        s += v * v;
                    }
                }
                part2[b] = s;
            });
            double s = 0;
            for (double v : part2) {
                s += v;
            }
            totalSquares = s;
        }
        return totalSquares;
    }

    /** Mean over features of the feature variance (population), as scikit-learn scales its tolerance. */
    double meanVariance() {
        double s = 0;
        for (float v : norms) {
            s += v;
        }
        return n == 0 || d == 0 ? 0 : s / n / d;
    }
}
