package org.personalab.engine;

import ai.djl.ndarray.NDArray;

/**
 * A frozen base projection plus a low-rank update (LoRA, Hu et al. 2021):
 * {@code y = base(x) + s · (x Aᵀ) Bᵀ} with A {@code [r, in]}, B {@code [out, r]} and s = {@link LoraConfig#scaling}.
 * With B = 0 — how a fresh adapter starts — the layer computes exactly its base. Dropout on the adapter's input
 * ({@code lora_dropout}) is a training-time operation: off unless a trainer turns it on with
 * {@link #setTrainingDropout}, and then drawn from the engine's random generator.
 *
 * <p>A and B stay float32 whatever the model's dtype (they are the trained master weights, and an optimizer needs
 * their small updates); on a float16 model they are cast to float16 for the product, and the cast is part of the
 * autograd graph, so their gradients arrive in float32.
 */
public final class LoraLinear implements Projection {

    private final Linear base;
    private final NDArray a;
    private final NDArray b;
    private final float scaling;
    private float trainingDropout;

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
        NDArray in = trainingDropout > 0
                ? ai.djl.nn.norm.Dropout.dropout(x, trainingDropout, true).singletonOrThrow() : x;
        NDArray low = ai.djl.nn.core.Linear.linear(in, Casts.to(a, x.getDataType())).singletonOrThrow();
        NDArray update = ai.djl.nn.core.Linear.linear(low, Casts.to(b, x.getDataType())).singletonOrThrow();
        return base.forward(x).add(update.mul(scaling));
    }

    /** Dropout rate on the adapter's input while training (PEFT's {@code lora_dropout}); 0 turns it off. */
    public void setTrainingDropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), not " + rate);
        }
        this.trainingDropout = (float) rate;
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

    /** The merged weight {@code W + s · B A} in float32, for export without the adapter. */
    public NDArray mergedWeight() {
        try (NDArray w = base.weight().toType(ai.djl.ndarray.types.DataType.FLOAT32, true);
                NDArray ba = b.matMul(a);
                NDArray scaled = ba.mul(scaling)) {
            return w.add(scaled);
        }
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
