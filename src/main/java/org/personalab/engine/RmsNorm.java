package org.personalab.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/**
 * Root-mean-square layer normalisation (Zhang and Sennrich 2019): {@code y = x / sqrt(mean(x²) + eps) · g}, over the
 * last dimension, with no mean subtraction and no bias. {@code eps} is an array made once: adding a Java number
 * would create (and free) a scalar array on every call.
 */
public final class RmsNorm {

    private final NDArray weight;
    private final NDArray eps;

    public RmsNorm(NDArray weight, double eps) {
        this.weight = weight;
        this.eps = weight.getManager().create((float) eps);
        NDScope.unregister(this.eps);
    }

    public NDArray forward(NDArray x) {
        NDArray meanSquare = x.square().mean(new int[] {-1}, true);
        return x.div(meanSquare.add(eps).sqrt()).mul(weight);
    }

    public NDArray weight() {
        return weight;
    }
}
