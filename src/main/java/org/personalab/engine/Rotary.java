package org.personalab.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding (Su et al. 2021, RoFormer) in the "rotate half" layout of Hugging Face's Llama and Qwen2:
 * dimension j and j + d/2 of each head form a pair rotated by angle {@code p · θ_(j mod d/2)} for a token at position
 * p, i.e. {@code x' = x · cos + rotate_half(x) · sin} with {@code rotate_half([x1, x2]) = [−x2, x1]}. Angles are
 * computed in float as PyTorch does, so long positions round the same way.
 *
 * <p>Speed: a forward pass builds the tables once for all layers, and {@code rotate_half} is one product with a fixed
 * signed permutation matrix (exact: one nonzero term per output) instead of two slices, a negation and a
 * concatenation, which matters when decoding runs a few dozen tiny operations per layer per token. The query's
 * tables carry attention's {@code 1/sqrt(d)}, so the scores need no separate scaling.
 *
 * <p>The angles and their cos/sin are always computed in float (Java); the tables and the rotation matrix are then
 * made in the model's dtype (Hugging Face: {@code cos.to(dtype=x.dtype)}), so float16 activations stay float16.
 */
public final class Rotary {

    private final int headDim;
    private final double theta;
    private final RopeScaling scaling;
    private final int maxPositionEmbeddings;
    private final float[] fixedInverseFrequencies;
    private final float queryScale;
    private final NDArray rotateHalf;
    private final DataType dataType;

    /** Float32 tables; {@code manager} owns the rotation matrix (the model's manager). */
    public Rotary(ModelConfig config, NDManager manager) {
        this(config, manager, DataType.FLOAT32);
    }

    /** Tables in {@code dataType} (the model's compute dtype); {@code manager} owns the rotation matrix. */
    public Rotary(ModelConfig config, NDManager manager, DataType dataType) {
        this.headDim = config.headDim();
        this.theta = config.ropeTheta();
        this.scaling = config.ropeScaling();
        this.maxPositionEmbeddings = config.maxPositionEmbeddings();
        this.fixedInverseFrequencies = scaling.dependsOnLength() ? null
                : scaling.inverseFrequencies(theta, headDim, maxPositionEmbeddings, 0);
        this.queryScale = (float) (1.0 / Math.sqrt(headDim));
        this.dataType = dataType;
        this.rotateHalf = rotateHalfMatrix(manager);
    }

    /**
     * cos and sin for each (row, token), shaped {@code [B, 1, T, headDim]} to broadcast over heads; the query's pair
     * is multiplied by attention's {@code 1/sqrt(headDim)}.
     */
    public record Tables(NDArray cos, NDArray sin, NDArray queryCos, NDArray querySin) {
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
        float[] qcos = new float[cos.length];
        float[] qsin = new float[sin.length];
        for (int i = 0; i < cos.length; i++) {
            qcos[i] = cos[i] * queryScale;
            qsin[i] = sin[i] * queryScale;
        }
        Shape shape = new Shape(batch, 1, len, headDim);
        return new Tables(typed(manager.create(cos, shape)), typed(manager.create(sin, shape)),
                typed(manager.create(qcos, shape)), typed(manager.create(qsin, shape)));
    }

    /** {@code a} in the model's dtype (itself in float32). */
    private NDArray typed(NDArray a) {
        return dataType == DataType.FLOAT32 ? a : a.toType(dataType, false);
    }

    /** {@code R [d, d]} with {@code x R = rotate_half(x) = [−x2, x1]}, freed with the model's manager. */
    private NDArray rotateHalfMatrix(NDManager manager) {
        int half = headDim / 2;
        float[] r = new float[headDim * headDim];
        for (int j = 0; j < half; j++) {
            r[(j + half) * headDim + j] = -1f;
            r[j * headDim + j + half] = 1f;
        }
        NDArray m = manager.create(r, new Shape(headDim, headDim));
        NDScope.unregister(m);
        if (dataType != DataType.FLOAT32) {
            NDArray single = m;
            m = single.toType(dataType, false);
            NDScope.unregister(m);
            single.close();
        }
        return m;
    }

    /** Rotates keys {@code x [B, heads, T, headDim]}. */
    public NDArray apply(NDArray x, Tables t) {
        return x.mul(t.cos()).add(x.matMul(rotateHalf).mul(t.sin()));
    }

    /** Rotates queries {@code x [B, heads, T, headDim]} and scales them by {@code 1/sqrt(headDim)}. */
    public NDArray applyQuery(NDArray x, Tables t) {
        return x.mul(t.queryCos()).add(x.matMul(rotateHalf).mul(t.querySin()));
    }
}
