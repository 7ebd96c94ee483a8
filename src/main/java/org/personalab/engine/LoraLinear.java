package org.personalab.engine;

import ai.djl.ndarray.NDArray;

/**
 * A frozen base projection plus a low-rank update (LoRA, Hu et al. 2021):
 * {@code y = base(x) + s · (x Aᵀ) Bᵀ} with A {@code [r, in]}, B {@code [out, r]} and s = {@link LoraConfig#scaling}.
 * With B = 0 — how a fresh adapter starts — the layer computes exactly its base. Dropout on the adapter's input is a
 * training-time operation and is not applied here.
 */
public final class LoraLinear implements Projection {

    private final Linear base;
    private final NDArray a;
    private final NDArray b;
    private final float scaling;

    public LoraLinear(Linear base, NDArray a, NDArray b, double scaling) {
        if (a.getShape().get(1) != base.inFeatures() || b.getShape().get(0) != base.outFeatures()
                || a.getShape().get(0) != b.getShape().get(1)) {
            throw new IllegalArgumentException("LoRA A " + a.getShape() + " and B " + b.getShape()
                    + " do not fit a base of [" + base.outFeatures() + ", " + base.inFeatures() + "]");
        }
        this.base = base;
        this.a = a;
        this.b = b;
        this.scaling = (float) scaling;
    }

    @Override
    public NDArray forward(NDArray x) {
        NDArray low = ai.djl.nn.core.Linear.linear(x, a).singletonOrThrow();
        NDArray update = ai.djl.nn.core.Linear.linear(low, b).singletonOrThrow();
        return base.forward(x).add(update.mul(scaling));
    }

    public Linear base() {
        return base;
    }

    /** {@code lora_A} {@code [r, in]}. */
    public NDArray a() {
        return a;
    }

    /** {@code lora_B} {@code [out, r]}. */
    public NDArray b() {
        return b;
    }

    public float scaling() {
        return scaling;
    }

    /** The merged weight {@code W + s · B A}, for export without the adapter. */
    public NDArray mergedWeight() {
        return base.weight().add(b.matMul(a).mul(scaling));
    }

    @Override
    public int inFeatures() {
        return base.inFeatures();
    }

    @Override
    public int outFeatures() {
        return base.outFeatures();
    }
}
