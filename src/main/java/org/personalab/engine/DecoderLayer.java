package org.personalab.engine;

import ai.djl.ndarray.NDArray;

/**
 * One pre-norm transformer block: {@code h = x + attention(norm₁(x))}, {@code y = h + mlp(norm₂(h))}.
 */
public final class DecoderLayer {

    private final RmsNorm inputNorm;
    private final Attention attention;
    private final RmsNorm postAttentionNorm;
    private final SwiGluMlp mlp;

    public DecoderLayer(RmsNorm inputNorm, Attention attention, RmsNorm postAttentionNorm, SwiGluMlp mlp) {
        this.inputNorm = inputNorm;
        this.attention = attention;
        this.postAttentionNorm = postAttentionNorm;
        this.mlp = mlp;
    }

    public NDArray forward(NDArray x, Rotary rotary, Rotary.Tables rope, NDArray mask, KvCache.Layer cache) {
        NDArray h = x.add(attention.forward(inputNorm.forward(x), rotary, rope, mask, cache));
        return h.add(mlp.forward(postAttentionNorm.forward(h)));
    }

    public Attention attention() {
        return attention;
    }

    public SwiGluMlp mlp() {
        return mlp;
    }
}
