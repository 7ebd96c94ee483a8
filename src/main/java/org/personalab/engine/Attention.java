package org.personalab.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Causal multi-head self-attention with grouped-query attention (Ainslie et al. 2023): {@code num_attention_heads}
 * query heads share {@code num_key_value_heads} key/value heads, each key/value head serving a group of
 * consecutive query heads. Per head: {@code softmax(q kᵀ / sqrt(d) + mask) v} (Vaswani et al. 2017), with rotary
 * positions applied to q and k before the product and the past keys/values taken from the cache. The query heads of
 * a group are multiplied with their shared key/value head directly (no per-head copies of the cache).
 *
 * <p>In float16 the scores are cast to float32 before the mask is added and the softmax taken, and the probabilities
 * cast back (as Hugging Face's eager attention does: {@code softmax(..., dtype=torch.float32).to(q.dtype)}); the
 * mask's large negative value does not fit in float16 anyway.
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
     * @param mask  additive mask {@code [B, 1, 1, T, S]} (0 where a query may look, a large negative number
     *              elsewhere), S = cached + T; null when every query may see every slot (one new token, no padding)
     * @param cache the layer's past keys and values, appended to here; null to attend within {@code x} only
     * @return {@code [B, T, hidden]}
     */
    public NDArray forward(NDArray x, Rotary rotary, Rotary.Tables rope, NDArray mask, KvCache.Layer cache) {
        long batch = x.getShape().get(0);
        long len = x.getShape().get(1);
        NDArray query = rotary.applyQuery(splitHeads(q.forward(x), batch, len, heads), rope);
        NDArray key = rotary.apply(splitHeads(k.forward(x), batch, len, kvHeads), rope);
        NDArray value = splitHeads(v.forward(x), batch, len, kvHeads);
        if (cache != null) {
            key = cache.appendKeys(key);
            value = cache.appendValues(value);
        }
        // grouped-query attention without copying keys/values per query head: the G query heads of a key/value
        // head are consecutive, so [B, H, T, d] regroups as [B, KV, G·T, d] against keys [B, KV, S, d]
        long group = heads / kvHeads;
        long slots = key.getShape().get(2);
        NDArray scores = query.reshape(batch, kvHeads, group * len, headDim).matMul(key.swapAxes(2, 3));
        DataType type = scores.getDataType();
        if (type != DataType.FLOAT32) {
            scores = Casts.to(scores, DataType.FLOAT32);
        }
        NDArray probs;
        if (mask == null) {
            probs = scores.softmax(-1);
        } else {
            probs = scores.reshape(batch, kvHeads, group, len, slots).add(mask).softmax(-1)
                    .reshape(batch, kvHeads, group * len, slots);
        }
        if (type != DataType.FLOAT32) {
            probs = Casts.to(probs, type);
        }
        NDArray out = probs.matMul(value).reshape(batch, heads, len, headDim);
        return o.forward(len == 1 ? out.reshape(batch, 1, (long) heads * headDim)
                : out.transpose(0, 2, 1, 3).reshape(batch, len, (long) heads * headDim));
    }

    /** {@code [B, T, n·d] → [B, n, T, d]} (for one token a plain reshape). */
    private NDArray splitHeads(NDArray x, long batch, long len, int n) {
        return len == 1 ? x.reshape(batch, n, 1, headDim)
                : x.reshape(batch, len, n, headDim).transpose(0, 2, 1, 3);
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
