package org.personalab.engine.train;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.personalab.engine.LoraAdapter;
import org.personalab.engine.LoraLinear;

/**
 * The trainable side of a {@link LoraAdapter}: every {@code lora_A} and {@code lora_B} array with autograd on, in a
 * fixed order with PEFT's tensor names. The base model's arrays never require gradients, so backward only reaches
 * the adapter. Values and gradients cross to Java float arrays once per optimizer step; PyTorch sums gradients over
 * the backward passes of the accumulated micro-batches until {@link #takeGradients} reads and zeroes them.
 */
final class TrainableAdapter {

    private final List<String> names = new ArrayList<>();
    private final List<NDArray> arrays = new ArrayList<>();
    private final List<LoraLinear> modules = new ArrayList<>();

    TrainableAdapter(LoraAdapter adapter) {
        for (Map.Entry<String, LoraLinear> e : adapter.modules().entrySet()) {
            names.add("base_model.model." + e.getKey() + ".lora_A.weight");
            arrays.add(e.getValue().a());
            names.add("base_model.model." + e.getKey() + ".lora_B.weight");
            arrays.add(e.getValue().b());
            modules.add(e.getValue());
        }
        arrays.forEach(a -> a.setRequiresGradient(true));
    }

    List<String> names() {
        return names;
    }

    /** Current values, one float array per tensor (copies). */
    List<float[]> values() {
        List<float[]> out = new ArrayList<>();
        arrays.forEach(a -> out.add(a.toFloatArray()));
        return out;
    }

    /** Writes new values into the arrays (autograd off for the copy, as an optimizer's no_grad update). */
    void write(List<float[]> values) {
        for (int i = 0; i < arrays.size(); i++) {
            NDArray a = arrays.get(i);
            a.setRequiresGradient(false);
            a.set(values.get(i));
            a.setRequiresGradient(true);
        }
    }

    /**
     * The summed gradients since the last call, as float arrays; the arrays' gradients are zeroed (set to zero, not
     * reduced by themselves: after a float16 overflow {@code inf − inf} would leave NaN in the accumulator for good).
     */
    List<float[]> takeGradients() {
        List<float[]> out = new ArrayList<>();
        for (NDArray a : arrays) {
            try (NDArray g = a.getGradient()) {
                out.add(g.toFloatArray());
            }
            ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) a);
        }
        return out;
    }

    /** Training-time dropout on every adapter's input (0 for evaluation passes). */
    void dropout(double rate) {
        modules.forEach(m -> m.setTrainingDropout(rate));
    }

    /** Number of trainable values. */
    long size() {
        long n = 0;
        for (NDArray a : arrays) {
            n += a.getShape().size();
        }
        return n;
    }
}
