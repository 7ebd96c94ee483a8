package org.personalab.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A decoder-only transformer of the Qwen2 / Llama family: token embedding, {@code num_hidden_layers}
 * {@link DecoderLayer}s, a final {@link RmsNorm} and the language-model head (the embedding matrix itself when
 * {@code tie_word_embeddings}). Weights use Hugging Face's names ({@code model.layers.N.self_attn.q_proj.weight}, …).
 * It computes on the device and in the dtype of its {@link Compute} (float32 on the CPU unless told otherwise); the
 * logits it returns are float32 whatever the dtype.
 *
 * <p>A batch is {@code tokens[B][T]} with {@code valid[B][T]} marking real tokens; prompts of unequal length are
 * left-padded. Padding is invisible to real tokens (masked as keys) and takes no position, so a padded row computes
 * what it would compute alone.
 */
public final class DecoderModel implements AutoCloseable {

    /** Added to the attention scores of masked keys; finite so no row of the softmax becomes NaN. */
    static final float MASKED = -1e9f;

    private final ModelConfig config;
    private final NDManager manager;
    private final NDArray embedTokens;
    private final List<DecoderLayer> layers;
    private final RmsNorm norm;
    private final Projection lmHead;
    private final Rotary rotary;
    private final Map<String, NDArray> weights;
    private final Compute compute;

    private DecoderModel(ModelConfig config, NDManager manager, NDArray embedTokens, List<DecoderLayer> layers,
            RmsNorm norm, Projection lmHead, Map<String, NDArray> weights, Compute compute) {
        this.compute = compute;
        this.config = config;
        this.manager = manager;
        this.embedTokens = embedTokens;
        this.layers = List.copyOf(layers);
        this.norm = norm;
        this.lmHead = lmHead;
        this.rotary = new Rotary(config, manager, compute.dataType());
        this.weights = weights;
    }

    /** Loads config.json and the safetensors weights of a Hugging Face model folder, float32 on the CPU. */
    public static DecoderModel load(Path dir) {
        return load(dir, Compute.cpu());
    }

    /** Loads a Hugging Face model folder onto {@code compute}'s device, in its dtype. */
    public static DecoderModel load(Path dir, Compute compute) {
        return load(ModelConfig.load(dir), Checkpoint.open(dir), compute);
    }

    /** Builds the model from a config and its checkpoint, float32 on the CPU. */
    public static DecoderModel load(ModelConfig c, Checkpoint checkpoint) {
        return load(c, checkpoint, Compute.cpu());
    }

    /**
     * Builds the model from a config and its checkpoint on {@code compute}'s device and dtype; the model owns a new
     * manager, freed by {@link #close}.
     */
    public static DecoderModel load(ModelConfig c, Checkpoint checkpoint, Compute compute) {
        NDManager manager = DjlRuntime.newManager(compute);
        try {
            Weights w = new Weights(checkpoint, manager, compute);
            int h = c.hiddenSize();
            int qDim = c.numAttentionHeads() * c.headDim();
            int kvDim = c.numKeyValueHeads() * c.headDim();
            NDArray embed = w.load("model.embed_tokens.weight", c.vocabSize(), h);
            List<DecoderLayer> layers = new ArrayList<>();
            for (int i = 0; i < c.numHiddenLayers(); i++) {
                String p = "model.layers." + i + ".";
                Attention attention = new Attention(
                        w.linear(p + "self_attn.q_proj", h, qDim, c.qkvBias()),
                        w.linear(p + "self_attn.k_proj", h, kvDim, c.qkvBias()),
                        w.linear(p + "self_attn.v_proj", h, kvDim, c.qkvBias()),
                        w.linear(p + "self_attn.o_proj", qDim, h, c.outputBias()), c);
                SwiGluMlp mlp = new SwiGluMlp(
                        w.linear(p + "mlp.gate_proj", h, c.intermediateSize(), c.mlpBias()),
                        w.linear(p + "mlp.up_proj", h, c.intermediateSize(), c.mlpBias()),
                        w.linear(p + "mlp.down_proj", c.intermediateSize(), h, c.mlpBias()));
                layers.add(new DecoderLayer(new RmsNorm(w.load(p + "input_layernorm.weight", h), c.rmsNormEps()),
                        attention, new RmsNorm(w.load(p + "post_attention_layernorm.weight", h), c.rmsNormEps()), mlp));
            }
            RmsNorm norm = new RmsNorm(w.load("model.norm.weight", h), c.rmsNormEps());
            Projection head = c.tieWordEmbeddings() ? new Linear(embed, null)
                    : w.linear("lm_head", h, c.vocabSize(), false);
            return new DecoderModel(c, manager, embed, layers, norm, head, w.loaded(), compute);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public ModelConfig config() {
        return config;
    }

    /** The device and dtype the model computes in. */
    public Compute compute() {
        return compute;
    }

    public List<DecoderLayer> layers() {
        return layers;
    }

    /** The base weights by checkpoint name (tied models have no lm_head.weight); adapters are not included. */
    public Map<String, NDArray> weights() {
        return weights;
    }

    /** The manager that owns the weights (and the arrays {@link #forward} returns). */
    public NDManager manager() {
        return manager;
    }

    /** An empty cache for {@code batch} sequences. */
    public KvCache newCache(int batch) {
        return new KvCache(layers.size(), batch);
    }

    /** Logits {@code [B, T, vocab]} of a batch of equal-length, unpadded sequences, without a cache. */
    public NDArray forward(int[][] tokens) {
        boolean[][] valid = new boolean[tokens.length][];
        for (int b = 0; b < tokens.length; b++) {
            valid[b] = new boolean[tokens[b].length];
            Arrays.fill(valid[b], true);
        }
        try (KvCache cache = newCache(tokens.length)) {
            return forward(tokens, valid, cache, false);
        }
    }

    /**
     * Runs {@code tokens[B][T]} after what {@code cache} holds and appends them to it.
     *
     * @param valid    {@code valid[b][t]} is false for padding
     * @param lastOnly only the logits of the last slot ({@code [B, 1, vocab]}), which is all generation needs
     * @return logits {@code [B, T, vocab]} (or {@code [B, 1, vocab]}), owned by the caller, who closes them
     */
    public NDArray forward(int[][] tokens, boolean[][] valid, KvCache cache, boolean lastOnly) {
        int batch = tokens.length;
        int len = checkBatch(tokens, valid, cache);
        int past = cache.length();
        try (NDScope scope = new NDScope()) {
            int[][] positions = cache.advance(valid);
            NDArray ids = manager.create(flatten(tokens), new Shape(batch, len));
            // one new token with no padding anywhere sees every slot: no mask to build or add
            NDArray mask = len == 1 && cache.allValid() ? null
                    : manager.create(mask(cache, past, len), new Shape(batch, 1, 1, len, past + len));
            Rotary.Tables rope = rotary.tables(manager, positions);
            NDArray x = Embedding.embedding(ids, embedTokens, SparseFormat.DENSE).singletonOrThrow();
            for (int i = 0; i < layers.size(); i++) {
                x = layers.get(i).forward(x, rotary, rope, mask, cache.layer(i));
            }
            if (lastOnly && len > 1) {
                x = x.get(new NDIndex(":, -1:, :"));
            }
            NDArray logits = lmHead.forward(norm.forward(x));
            if (logits.getDataType() != DataType.FLOAT32) {
                // sampling, log-probabilities and losses work on float32 logits
                logits = Casts.to(logits, DataType.FLOAT32);
            }
            NDScope.unregister(logits);
            scope.suppressNotUsedWarning();
            return logits;
        }
    }

    private int checkBatch(int[][] tokens, boolean[][] valid, KvCache cache) {
        if (tokens.length == 0 || tokens.length != valid.length || tokens.length != cache.batch()) {
            throw new IllegalArgumentException("batch of " + tokens.length + " rows, " + valid.length
                    + " validity rows, cache for " + cache.batch());
        }
        int len = tokens[0].length;
        if (len == 0) {
            throw new IllegalArgumentException("no tokens to run");
        }
        for (int b = 0; b < tokens.length; b++) {
            if (tokens[b].length != len || valid[b].length != len) {
                throw new IllegalArgumentException("rows of a batch must have the same length (pad them)");
            }
            for (int t : tokens[b]) {
                if (t < 0 || t >= config.vocabSize()) {
                    throw new IllegalArgumentException("token id " + t + " outside the vocabulary of "
                            + config.vocabSize());
                }
            }
        }
        return len;
    }

    /**
     * {@code [B, 1, 1, T, S]}: query t (slot past + t) may see key slot s when s ≤ past + t and s holds a real token;
     * every slot sees itself, so padding rows stay finite.
     */
    private static float[] mask(KvCache cache, int past, int len) {
        int batch = cache.batch();
        int slots = past + len;
        float[] m = new float[batch * len * slots];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < len; t++) {
                int q = past + t;
                int base = (b * len + t) * slots;
                for (int s = 0; s < slots; s++) {
                    boolean visible = s == q || (s < q && cache.isValid(b, s));
                    m[base + s] = visible ? 0f : MASKED;
                }
            }
        }
        return m;
    }

    /** The ids as int64, the index type the embedding lookup takes (no conversion in the engine). */
    private static long[] flatten(int[][] rows) {
        int len = rows[0].length;
        long[] out = new long[rows.length * len];
        for (int b = 0; b < rows.length; b++) {
            for (int t = 0; t < len; t++) {
                out[b * len + t] = rows[b][t];
            }
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
