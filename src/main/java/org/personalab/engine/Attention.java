package org.personalab.engine;

import ai.djl.ndarray.NDArray;

/**
 * Causal multi-head self-attention with grouped-query attention (Ainslie et al. 2023): {@code num_attention_heads}
 * query heads share {@code num_key_value_heads} key/value heads, each key/value head serving a group of
 * consecutive query heads. Per head: {@code softmax(q kᵀ / sqrt(d) + mask) v} (Vaswani et al. 2017), with rotary
 * positions applied to q and k before the product and the past keys/values taken from the cache.
 */
public final class Attention {

    private Projection q;
    private Projection k;
    private Projection v;
    private Projection o;
    private final int heads;
    private final int kvHeads;
    private final int headDim;

    public Attention(Projection q, Projection k, Projection v, Projection o, ModelConfig config) {
        this.q = q;
        this.k = k;
        this.v = v;
        this.o = o;
        this.heads = config.numAttentionHeads();
        this.kvHeads = config.numKeyValueHeads();
        this.headDim = config.headDim();
    }

    /**
     * @param x     {@code [B, T, hidden]}
     * @param mask  additive mask {@code [B, 1, T, S]} (0 where a query may look, a large negative number elsewhere),
     *              S = cached + T
     * @param cache the layer's past keys and values, appended to here; null to attend within {@code x} only
     * @return {@code [B, T, hidden]}
     */
    public NDArray forward(NDArray x, Rotary rotary, Rotary.Tables rope, NDArray mask, KvCache.Layer cache) {
        long batch = x.getShape().get(0);
        long len = x.getShape().get(1);
        NDArray query = rotary.apply(splitHeads(q.forward(x), batch, len, heads), rope);
        NDArray key = rotary.apply(splitHeads(k.forward(x), batch, len, kvHeads), rope);
        NDArray value = splitHeads(v.forward(x), batch, len, kvHeads);
        if (cache != null) {
            key = cache.appendKeys(key);
            value = cache.appendValues(value);
        }
        NDArray keys = repeatKv(key);
        NDArray values = repeatKv(value);
        NDArray scores = query.matMul(keys.swapAxes(2, 3)).mul(1.0 / Math.sqrt(headDim)).add(mask);
        NDArray out = scores.softmax(-1).matMul(values);
        return o.forward(out.transpose(0, 2, 1, 3).reshape(batch, len, (long) heads * headDim));
    }

    /** {@code [B, T, n·d] → [B, n, T, d]}. */
    private NDArray splitHeads(NDArray x, long batch, long len, int n) {
        return x.reshape(batch, len, n, headDim).transpose(0, 2, 1, 3);
    }

    /** {@code [B, kvHeads, S, d] → [B, heads, S, d]}: each key/value head repeated for its group of query heads. */
    private NDArray repeatKv(NDArray x) {
        int group = heads / kvHeads;
        if (group == 1) {
            return x;
        }
        long batch = x.getShape().get(0);
        long seq = x.getShape().get(2);
        return x.expandDims(2).broadcast(batch, kvHeads, group, seq, headDim).reshape(batch, heads, seq, headDim);
    }

    /** The projection called {@code name} in checkpoints (q_proj, k_proj, v_proj, o_proj). */
    Projection projection(String name) {
        return switch (name) {
            case "q_proj" -> q;
            case "k_proj" -> k;
            case "v_proj" -> v;
            case "o_proj" -> o;
            default -> throw new IllegalArgumentException("attention has no module '" + name + "'");
        };
    }

    /** Puts {@code p} (e.g. a base projection with a LoRA adapter) in place of projection {@code name}. */
    void replace(String name, Projection p) {
        Projection old = projection(name);
        if (old.inFeatures() != p.inFeatures() || old.outFeatures() != p.outFeatures()) {
            throw new IllegalArgumentException(name + ": replacement has a different shape");
        }
        switch (name) {
            case "q_proj" -> q = p;
            case "k_proj" -> k = p;
            case "v_proj" -> v = p;
            default -> o = p;
        }
    }

    public Projection q() {
        return q;
    }

    public Projection k() {
        return k;
    }

    public Projection v() {
        return v;
    }

    public Projection o() {
        return o;
    }
}
