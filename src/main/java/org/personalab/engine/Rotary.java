package org.personalab.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding (Su et al. 2021, RoFormer) in the "rotate half" layout of Hugging Face's Llama and Qwen2:
 * dimension j and j + d/2 of each head form a pair rotated by angle {@code p · θ_(j mod d/2)} for a token at position
 * p, i.e. {@code x' = x · cos + rotate_half(x) · sin} with {@code rotate_half([x1, x2]) = [−x2, x1]}. Angles are
 * computed in float as PyTorch does, so long positions round the same way.
 */
public final class Rotary {

    private final int headDim;
    private final double theta;
    private final RopeScaling scaling;
    private final int maxPositionEmbeddings;
    private final float[] fixedInverseFrequencies;

    public Rotary(ModelConfig config) {
        this.headDim = config.headDim();
        this.theta = config.ropeTheta();
        this.scaling = config.ropeScaling();
        this.maxPositionEmbeddings = config.maxPositionEmbeddings();
        this.fixedInverseFrequencies = scaling.dependsOnLength() ? null
                : scaling.inverseFrequencies(theta, headDim, maxPositionEmbeddings, 0);
    }

    /** cos and sin for each (row, token), shaped {@code [B, 1, T, headDim]} to broadcast over heads. */
    public record Tables(NDArray cos, NDArray sin) {
    }

    /** The tables for {@code positions[b][t]}; under dynamic scaling the frequencies follow the largest position. */
    public Tables tables(NDManager manager, int[][] positions) {
        int batch = positions.length;
        int len = positions[0].length;
        float[] inv = fixedInverseFrequencies;
        if (inv == null) {
            int maxPos = 0;
            for (int[] row : positions) {
                for (int p : row) {
                    maxPos = Math.max(maxPos, p);
                }
            }
            inv = scaling.inverseFrequencies(theta, headDim, maxPositionEmbeddings, maxPos + 1);
        }
        int half = headDim / 2;
        float[] cos = new float[batch * len * headDim];
        float[] sin = new float[cos.length];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < len; t++) {
                int base = (b * len + t) * headDim;
                float p = positions[b][t];
                for (int j = 0; j < half; j++) {
                    float angle = p * inv[j];
                    float c = (float) Math.cos(angle);
                    float s = (float) Math.sin(angle);
                    cos[base + j] = c;
                    cos[base + j + half] = c;
                    sin[base + j] = s;
                    sin[base + j + half] = s;
                }
            }
        }
        Shape shape = new Shape(batch, 1, len, headDim);
        return new Tables(manager.create(cos, shape), manager.create(sin, shape));
    }

    /** Rotates {@code x [B, heads, T, headDim]}. */
    public NDArray apply(NDArray x, Tables t) {
        int half = headDim / 2;
        NDArray x1 = x.get(new NDIndex("..., :" + half));
        NDArray x2 = x.get(new NDIndex("..., " + half + ":"));
        NDArray rotated = x2.neg().concat(x1, -1);
        return x.mul(t.cos()).add(rotated.mul(t.sin()));
    }
}
