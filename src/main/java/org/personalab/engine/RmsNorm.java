package org.personalab.engine;

import ai.djl.ndarray.NDArray;

/**
 * Root-mean-square layer normalisation (Zhang and Sennrich 2019): {@code y = x / sqrt(mean(x²) + eps) · g}, over the
 * last dimension, with no mean subtraction and no bias.
 */
public final class RmsNorm {

    private final NDArray weight;
    private final float eps;

    public RmsNorm(NDArray weight, double eps) {
        this.weight = weight;
        this.eps = (float) eps;
    }

    public NDArray forward(NDArray x) {
        NDArray meanSquare = x.square().mean(new int[] {-1}, true);
        return x.div(meanSquare.add(eps).sqrt()).mul(weight);
    }

    public NDArray weight() {
        return weight;
    }
}
