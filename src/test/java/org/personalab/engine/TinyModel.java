package org.personalab.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A tiny random Qwen2-shaped model written by the tests as a real Hugging Face folder (config.json + safetensors),
 * keeping the weights in memory so {@link ReferenceForward} can compute the same network independently.
 */
final class TinyModel {

    static final int HIDDEN = 64;
    static final int LAYERS = 2;
    static final int HEADS = 4;
    static final int KV_HEADS = 2;
    static final int HEAD_DIM = HIDDEN / HEADS;
    static final int INTERMEDIATE = 128;
    static final int VOCAB = 300;
    static final double EPS = 1e-6;
    static final double THETA = 10000.0;

    final Map<String, HostTensor> weights;
    final boolean tied;

    private TinyModel(Map<String, HostTensor> weights, boolean tied) {
        this.weights = weights;
        this.tied = tied;
    }

    static TinyModel of(Map<String, HostTensor> weights, boolean tied) {
        return new TinyModel(weights, tied);
    }

    /** Random weights; when {@code bf16} every value is exactly representable in bfloat16. */
    static TinyModel random(long seed, boolean tied, boolean bf16) {
        Random r = new Random(seed);
        Map<String, HostTensor> w = new LinkedHashMap<>();
        put(w, "model.embed_tokens.weight", r, 0.5, 0, bf16, VOCAB, HIDDEN);
        for (int i = 0; i < LAYERS; i++) {
            String p = "model.layers." + i + ".";
            put(w, p + "input_layernorm.weight", r, 0.1, 1, bf16, HIDDEN);
            put(w, p + "self_attn.q_proj.weight", r, 0.15, 0, bf16, HEADS * HEAD_DIM, HIDDEN);
            put(w, p + "self_attn.q_proj.bias", r, 0.2, 0, bf16, HEADS * HEAD_DIM);
            put(w, p + "self_attn.k_proj.weight", r, 0.15, 0, bf16, KV_HEADS * HEAD_DIM, HIDDEN);
            put(w, p + "self_attn.k_proj.bias", r, 0.2, 0, bf16, KV_HEADS * HEAD_DIM);
            put(w, p + "self_attn.v_proj.weight", r, 0.15, 0, bf16, KV_HEADS * HEAD_DIM, HIDDEN);
            put(w, p + "self_attn.v_proj.bias", r, 0.2, 0, bf16, KV_HEADS * HEAD_DIM);
            put(w, p + "self_attn.o_proj.weight", r, 0.15, 0, bf16, HIDDEN, HEADS * HEAD_DIM);
            put(w, p + "post_attention_layernorm.weight", r, 0.1, 1, bf16, HIDDEN);
            put(w, p + "mlp.gate_proj.weight", r, 0.15, 0, bf16, INTERMEDIATE, HIDDEN);
            put(w, p + "mlp.up_proj.weight", r, 0.15, 0, bf16, INTERMEDIATE, HIDDEN);
            put(w, p + "mlp.down_proj.weight", r, 0.1, 0, bf16, HIDDEN, INTERMEDIATE);
        }
        put(w, "model.norm.weight", r, 0.1, 1, bf16, HIDDEN);
        if (!tied) {
            put(w, "lm_head.weight", r, 0.3, 0, bf16, VOCAB, HIDDEN);
        }
        return new TinyModel(w, tied);
    }

    private static void put(Map<String, HostTensor> w, String name, Random r, double std, double mean, boolean bf16,
            long... shape) {
        float[] data = new float[(int) HostTensor.elementCount(shape)];
        for (int i = 0; i < data.length; i++) {
            float v = (float) (mean + std * r.nextGaussian());
            data[i] = bf16 ? Float.intBitsToFloat(Float.floatToIntBits(v) & 0xffff0000) : v;
        }
        w.put(name, new HostTensor(shape, data));
    }

    HostTensor w(String name) {
        return weights.get(name);
    }

    /** Writes config.json and the weights ({@code shards} files when more than 1) into {@code dir}. */
    Path write(Path dir, DType dtype, int shards) {
        return write(dir, dtype, shards, c -> { });
    }

    Path write(Path dir, DType dtype, int shards, java.util.function.Consumer<ObjectNode> editConfig) {
        try {
            Files.createDirectories(dir);
            ObjectNode c = new ObjectMapper().createObjectNode();
            c.putArray("architectures").add("Qwen2ForCausalLM");
            c.put("model_type", "qwen2");
            c.put("hidden_act", "silu");
            c.put("hidden_size", HIDDEN);
            c.put("intermediate_size", INTERMEDIATE);
            c.put("num_hidden_layers", LAYERS);
            c.put("num_attention_heads", HEADS);
            c.put("num_key_value_heads", KV_HEADS);
            c.put("rms_norm_eps", EPS);
            c.put("rope_theta", THETA);
            c.put("max_position_embeddings", 512);
            c.put("vocab_size", VOCAB);
            c.put("tie_word_embeddings", tied);
            c.put("torch_dtype", dtype == DType.BF16 ? "bfloat16" : "float32");
            c.put("use_sliding_window", false);
            c.put("eos_token_id", 2);
            editConfig.accept(c);
            Files.writeString(dir.resolve("config.json"), c.toPrettyString());
            long total = 0;
            for (HostTensor t : weights.values()) {
                total += (long) t.data().length * dtype.bytes();
            }
            Checkpoint.write(dir, weights, dtype, shards <= 1 ? Long.MAX_VALUE : total / shards + 1);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
