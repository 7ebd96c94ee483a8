package org.personalab.engine;

import ai.djl.ndarray.NDArray;

/**
 * {@code y = x Wᵀ + b} with W stored as PyTorch stores it, {@code [out_features, in_features]}, so checkpoint
 * tensors load without transposing. The bias is optional (Qwen2 has one on q/k/v only).
 */
public final class Linear implements Projection {

    private final NDArray weight;
    private final NDArray bias;

    /** @param bias {@code [out]}, or null for none */
    public Linear(NDArray weight, NDArray bias) {
        if (weight.getShape().dimension() != 2) {
            throw new IllegalArgumentException("linear weight must be 2-d, got " + weight.getShape());
        }
        if (bias != null && bias.getShape().size() != weight.getShape().get(0)) {
            throw new IllegalArgumentException("bias " + bias.getShape() + " does not match weight " + weight.getShape());
        }
        this.weight = weight;
        this.bias = bias;
    }

    @Override
    public NDArray forward(NDArray x) {
        return bias == null
                ? ai.djl.nn.core.Linear.linear(x, weight).singletonOrThrow()
                : ai.djl.nn.core.Linear.linear(x, weight, bias).singletonOrThrow();
    }

    public NDArray weight() {
        return weight;
    }

    /** The bias, or null. */
    public NDArray bias() {
        return bias;
    }

    @Override
    public int inFeatures() {
        return (int) weight.getShape().get(1);
    }

    @Override
    public int outFeatures() {
        return (int) weight.getShape().get(0);
    }
}
