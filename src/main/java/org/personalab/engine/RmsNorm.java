package org.personalab.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/**
 * Root-mean-square layer normalisation (Zhang and Sennrich 2019): {@code y = x / sqrt(mean(x²) + eps) · g}, over the
 * last dimension, with no mean subtraction and no bias. {@code eps} is an array made once: adding a Java number
 * would create (and free) a scalar array on every call.
 *
 * <p>In reduced precision the statistics are float32, as Hugging Face's Qwen2RMSNorm computes them: {@code x} is
 * cast up, normalised, cast back to its dtype and only then multiplied by the weight (which has the model's dtype).
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
        if (x.getDataType() != ai.djl.ndarray.types.DataType.FLOAT32) {
            NDArray x32 = Casts.to(x, ai.djl.ndarray.types.DataType.FLOAT32);
            NDArray meanSquare = x32.square().mean(new int[] {-1}, true);
            return Casts.to(x32.div(meanSquare.add(eps).sqrt()), x.getDataType()).mul(weight);
        }
        NDArray meanSquare = x.square().mean(new int[] {-1}, true);
        return x.div(meanSquare.add(eps).sqrt()).mul(weight);
    }

    public NDArray weight() {
        return weight;
    }
}
