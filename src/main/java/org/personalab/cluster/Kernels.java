package org.personalab.cluster;

/**
 * Distance arithmetic written so that C2 vectorizes it where it can: the hot loop of {@link #axpyRows} is an axpy
 * over contiguous floats with the same index on both sides (no reduction, no offset that would let the arrays
 * alias). Scalar dot products use independent partial sums so they pipeline.
 */
final class Kernels {

    private Kernels() {
    }

    /**
     * {@code acc[c] (+)= Σ_j x[xo+j] · t[tOff+j][c]} for j in 0..len and c in 0..kp: dot products of one row with
     * many points given transposed ({@code t[j][c]} = coordinate j of point c).
     */
    static void axpyRows(float[] x, int xo, int len, float[][] t, int tOff, int kp, float[] acc, boolean add) {
        int j = 0;
        if (!add) {
            if (len == 0) {
                java.util.Arrays.fill(acc, 0, kp, 0f);
                return;
            }
            float x0 = x[xo];
            float[] r0 = t[tOff];
            for (int c = 0; c < kp; c++) {
                acc[c] = x0 * r0[c];
            }
            j = 1;
        }
        for (; j < len; j++) {
            float xj = x[xo + j];
            float[] row = t[tOff + j];
            for (int c = 0; c < kp; c++) {
                acc[c] += xj * row[c];
            }
        }
    }

    /**
     * {@code out[i] (+)= x[xo..xo+len) · c[cOff + i·stride ..)} for i in 0..k, four points per pass over x (for few
     * points, where the transposed kernel would run mostly on padding).
     */
    static void dotsFew(float[] x, int xo, int len, float[] c, int cOff, int stride, int k, float[] out,
            boolean add) {
        int i = 0;
        for (; i + 3 < k; i += 4) {
            int o0 = cOff + i * stride;
            int o1 = o0 + stride;
            int o2 = o1 + stride;
            int o3 = o2 + stride;
            float a0 = 0;
            float a1 = 0;
            float a2 = 0;
            float a3 = 0;
            float b0 = 0;
            float b1 = 0;
            float b2 = 0;
            float b3 = 0;
            int j = 0;
            for (; j + 1 < len; j += 2) {
                float v = x[xo + j];
                float w = x[xo + j + 1];
                a0 += v * c[o0 + j];
                a1 += v * c[o1 + j];
                a2 += v * c[o2 + j];
                a3 += v * c[o3 + j];
                b0 += w * c[o0 + j + 1];
                b1 += w * c[o1 + j + 1];
                b2 += w * c[o2 + j + 1];
                b3 += w * c[o3 + j + 1];
            }
            if (j < len) {
                float v = x[xo + j];
                a0 += v * c[o0 + j];
                a1 += v * c[o1 + j];
                a2 += v * c[o2 + j];
                a3 += v * c[o3 + j];
            }
            out[i] = (add ? out[i] : 0f) + (a0 + b0);
            out[i + 1] = (add ? out[i + 1] : 0f) + (a1 + b1);
            out[i + 2] = (add ? out[i + 2] : 0f) + (a2 + b2);
            out[i + 3] = (add ? out[i + 3] : 0f) + (a3 + b3);
        }
        for (; i < k; i++) {
            float v = dot(x, xo, c, cOff + i * stride, len);
            out[i] = add ? out[i] + v : v;
        }
    }

    /** Dot product of {@code x[xo..xo+len)} and {@code y[yo..yo+len)} (eight independent partial sums). */
    static float dot(float[] x, int xo, float[] y, int yo, int len) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        int j = 0;
        for (; j + 7 < len; j += 8) {
            s0 += x[xo + j] * y[yo + j];
            s1 += x[xo + j + 1] * y[yo + j + 1];
            s2 += x[xo + j + 2] * y[yo + j + 2];
            s3 += x[xo + j + 3] * y[yo + j + 3];
            s4 += x[xo + j + 4] * y[yo + j + 4];
            s5 += x[xo + j + 5] * y[yo + j + 5];
            s6 += x[xo + j + 6] * y[yo + j + 6];
            s7 += x[xo + j + 7] * y[yo + j + 7];
        }
        for (; j < len; j++) {
            s0 += x[xo + j] * y[yo + j];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** Squared distance from {@code ‖x‖², ‖c‖²} and {@code x·c}, never negative. */
    static float sq(float xNorm, float cNorm, float dot) {
        float v = xNorm + cNorm - 2f * dot;
        return v > 0f ? v : 0f;
    }

    /** Exact squared Euclidean distance of two slices, in double. */
    static double exactSq(float[] x, int xo, float[] y, int yo, int len) {
        double s = 0;
        for (int j = 0; j < len; j++) {
            double v = (double) x[xo + j] - y[yo + j];
            s += v * v;
        }
        return s;
    }

    /** Points ({@code k × d} row-major) transposed and padded to {@code kp} columns: {@code t[j][c]}. */
    static float[][] transpose(float[] c, int k, int d, int kp) {
        float[][] t = new float[d][kp];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < d; j++) {
                t[j][i] = c[i * d + j];
            }
        }
        return t;
    }

    static int padded(int k) {
        return (k + 7) & ~7;
    }
}
