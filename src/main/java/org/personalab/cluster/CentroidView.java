package org.personalab.cluster;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Centroids prepared for distance bounds against {@link Data}: centred ({@code c̃ = c − mean}), their head
 * coordinates g, the part off the head axes s, and the norms the bounds need; plus half the distance from each
 * centroid to its nearest other one.
 */
final class CentroidView {

    /** From this many centroids on, searches of all centroids use the transposed, vectorized kernel. */
    static final int VECTOR_FROM = 24;

    final int k;
    final int kp;
    final int d;
    final int m;
    /** Original coordinates, {@code k × d}. */
    final float[] c;
    /** Centred, {@code k × d}. */
    final float[] centred;
    /** ‖c̃‖², padded with +∞ to {@code kp}. */
    final float[] norms;
    /** {@code mean · c̃}. */
    final float[] meanDot;
    /** Head coordinates, {@code k × m}. */
    final float[] head;
    /** Head coordinates transposed and padded ({@code headT[q][i]}), or null when k is small. */
    final float[][] headT;
    /** Off-head part s, {@code k × d}. */
    final float[] off;
    /** ‖s‖. */
    final float[] offNorm;
    /** {@code mean · s}. */
    final float[] offMeanDot;
    /** Half the distance to the nearest other centroid. */
    final float[] half;

    CentroidView(Data data, float[] centroids, int k) {
        this.k = k;
        this.kp = Kernels.padded(k);
        this.d = data.d;
        this.m = data.m;
        this.c = centroids;
        centred = new float[k * d];
        norms = new float[kp];
        Arrays.fill(norms, Float.POSITIVE_INFINITY);
        meanDot = new float[k];
        head = new float[k * m];
        off = new float[k * d];
        offNorm = new float[k];
        offMeanDot = new float[k];
        for (int i = 0; i < k; i++) {
            int o = i * d;
            double nn = 0;
            for (int j = 0; j < d; j++) {
                float v = c[o + j] - data.mean[j];
                centred[o + j] = v;
                nn += (double) v * v;
            }
            norms[i] = (float) nn;
            meanDot[i] = data.meanDot(centred, o);
            for (int q = 0; q < m; q++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += (double) data.axes[q * d + j] * centred[o + j];
                }
                head[i * m + q] = (float) s;
            }
            double on = 0;
            for (int j = 0; j < d; j++) {
                double s = centred[o + j];
                for (int q = 0; q < m; q++) {
                    s -= (double) head[i * m + q] * data.axes[q * d + j];
                }
                off[o + j] = (float) s;
                on += s * s;
            }
            offNorm[i] = (float) Math.sqrt(on);
            offMeanDot[i] = data.meanDot(off, o);
        }
        headT = k >= VECTOR_FROM ? Kernels.transpose(head, k, m, kp) : null;
        half = halves();
    }

    private float[] halves() {
        float[] out = new float[k];
        float[][] t = k >= VECTOR_FROM ? Kernels.transpose(centred, k, d, kp) : null;
        IntStream range = IntStream.range(0, k);
        (t != null ? range.parallel() : range).forEach(i -> {
            float[] acc = new float[kp];
            if (t != null) {
                Kernels.axpyRows(centred, i * d, d, t, 0, kp, acc, false);
            } else {
                Kernels.dotsFew(centred, i * d, d, centred, 0, d, k, acc, false);
            }
            float mn = Float.POSITIVE_INFINITY;
            for (int q = 0; q < k; q++) {
                if (q != i) {
                    mn = Math.min(mn, Kernels.sq(norms[i], norms[q], acc[q]));
                }
            }
            out[i] = (float) (0.5 * Math.sqrt(mn));
        });
        return out;
    }
}
