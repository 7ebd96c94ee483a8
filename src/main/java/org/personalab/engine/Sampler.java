package org.personalab.engine;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Picks one token from a row of logits according to {@link SamplingParams}. Probabilities are computed in double
 * from the temperature-scaled logits; top-k and top-p cut the sorted distribution (always keeping the most likely
 * token), and the draw walks the kept tokens from most to least likely, so a given seed gives the same token on every
 * machine.
 */
public final class Sampler {

    private Sampler() {
    }

    /** The most likely token (the lowest id on ties). */
    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    public static int sample(float[] logits, SamplingParams params, RandomGenerator random) {
        if (params.greedy()) {
            return argmax(logits);
        }
        int[] order = kept(logits, params);
        double max = logits[order[0]];
        double[] weights = new double[order.length];
        double total = 0;
        for (int i = 0; i < order.length; i++) {
            weights[i] = Math.exp((logits[order[i]] - max) / params.temperature());
            total += weights[i];
        }
        double u = random.nextDouble() * total;
        for (int i = 0; i < order.length; i++) {
            u -= weights[i];
            if (u < 0) {
                return order[i];
            }
        }
        return order[order.length - 1];
    }

    /** The tokens that survive top-k and top-p, most likely first. */
    static int[] kept(float[] logits, SamplingParams params) {
        int[] order = byDescendingLogit(logits);
        int keep = order.length;
        if (params.topK() > 0) {
            keep = Math.min(keep, params.topK());
        }
        if (params.topP() < 1) {
            double max = logits[order[0]];
            double total = 0;
            double[] w = new double[keep];
            for (int i = 0; i < keep; i++) {
                w[i] = Math.exp((logits[order[i]] - max) / params.temperature());
                total += w[i];
            }
            double cumulative = 0;
            int n = 0;
            while (n < keep) {
                cumulative += w[n++] / total;
                if (cumulative >= params.topP()) {
                    break;
                }
            }
            keep = n;
        }
        return Arrays.copyOf(order, keep);
    }

    /** Token ids sorted by logit, highest first, ties by lower id; sorts packed longs instead of boxed integers. */
    private static int[] byDescendingLogit(float[] logits) {
        long[] packed = new long[logits.length];
        for (int i = 0; i < logits.length; i++) {
            int bits = Float.floatToIntBits(logits[i]);
            int key = bits >= 0 ? bits : bits ^ 0x7fffffff; // monotone int order of the float
            packed[i] = ((long) ~key << 32) | i; // descending key, then ascending id
        }
        Arrays.sort(packed);
        int[] order = new int[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = (int) packed[i];
        }
        return order;
    }
}
