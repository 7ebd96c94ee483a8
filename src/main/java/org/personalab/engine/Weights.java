package org.personalab.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Moves checkpoint tensors into the engine: each is read and decoded to float32 in Java (never as a bfloat16
 * NDArray, which would abort the JVM — STACK.md), checked against the shape config.json implies, created under the
 * model's manager (on its device) and, for float16 compute, cast there to FLOAT16 one tensor at a time.
 */
final class Weights {

    private final Checkpoint checkpoint;
    private final NDManager manager;
    private final ai.djl.ndarray.types.DataType dataType;
    private final java.util.Map<String, NDArray> loaded = new java.util.LinkedHashMap<>();

    Weights(Checkpoint checkpoint, NDManager manager, Compute compute) {
        this.checkpoint = checkpoint;
        this.manager = manager;
        this.dataType = compute.dataType();
    }

    NDArray load(String name, long... shape) {
        HostTensor t = checkpoint.read(name, shape);
        NDArray a = manager.create(t.data(), new Shape(shape));
        if (a.getDataType() != dataType) {
            NDArray single = a;
            a = single.toType(dataType, false);
            single.close();
        }
        a.setName(name);
        loaded.put(name, a);
        return a;
    }

    /** Every tensor loaded so far, by checkpoint name, in load order. */
    java.util.Map<String, NDArray> loaded() {
        return java.util.Collections.unmodifiableMap(loaded);
    }

    /** A linear layer {@code prefix.weight} [out, in] with {@code prefix.bias} [out] when {@code bias}. */
    Linear linear(String prefix, int in, int out, boolean bias) {
        return new Linear(load(prefix + ".weight", out, in), bias ? load(prefix + ".bias", out) : null);
    }
}
