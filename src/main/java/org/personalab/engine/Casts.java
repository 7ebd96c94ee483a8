package org.personalab.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Casts between float16 and float32 that training can differentiate through. DJL's {@code NDArray.toType} returns
 * an array without a gradient function (checked with DJL 0.35 / PyTorch 2.7: a backward pass through it fails with
 * "element 0 of tensors does not require grad"), so while gradients are recorded a cast is an in-place add into a
 * zero array of the target type, which PyTorch differentiates (the gradient is cast back to the source's dtype). Without
 * a gradient collector open the cheaper {@code toType} is used.
 */
final class Casts {

    private Casts() {
    }

    /** {@code x} as {@code type}: {@code x} itself when it already is. */
    static NDArray to(NDArray x, DataType type) {
        if (x.getDataType() == type) {
            return x;
        }
        if (!ai.djl.pytorch.jni.JniUtils.isGradMode()) {
            return x.toType(type, false);
        }
        return x.getManager().zeros(x.getShape(), type).addi(x);
    }
}
