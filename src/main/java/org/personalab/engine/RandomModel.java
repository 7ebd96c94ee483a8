package org.personalab.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A Qwen2-shaped model with random weights, written as a real Hugging Face folder (config.json +
 * model.safetensors) for benchmarks: speed does not depend on what the weights are, only on their shapes and dtype.
 * Tensors are generated and streamed to disk one at a time, so a 0.5B model (2 GB in fp32) is written without
 * holding it in the Java heap. The same shape and seed always give the same bytes, so a written folder can be reused.
 *
 * <p>Values: linear weights uniform with standard deviation 0.02 (Hugging Face's initialiser range), biases likewise,
 * norm weights 1; the residual stream stays finite through any depth.
 */
public final class RandomModel {

    /** Architecture of a Qwen2 decoder (Qwen2 always has q/k/v biases and no other bias). */
    public record Shape(String name, int hidden, int layers, int heads, int kvHeads, int intermediate, int vocab,
            boolean tied, double ropeTheta, int maxPositions) {

        public Shape {
            if (hidden <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || intermediate <= 0 || vocab <= 0) {
                throw new IllegalArgumentException("model shape needs positive sizes: " + this);
            }
            if (hidden % heads != 0 || heads % kvHeads != 0 || (hidden / heads) % 2 != 0) {
                throw new IllegalArgumentException("hidden must split into an even head_dim per head and heads into "
                        + "key/value groups: " + this);
            }
        }

        /** Qwen2.5-0.5B: hidden 896, 24 layers, 14 heads, 2 key/value heads, MLP 4864, vocabulary 151,936, tied. */
        public static final Shape QWEN2_5_0_5B = new Shape("qwen2.5-0.5b", 896, 24, 14, 2, 4864, 151_936, true,
                1_000_000.0, 32_768);

        /** A few-kilobyte model for tests of the plumbing. */
        public static final Shape TINY = new Shape("tiny", 64, 2, 4, 2, 128, 512, true, 1_000_000.0, 4096);

        /** The shape called {@code name} ("qwen2.5-0.5b" or "tiny"). */
        public static Shape named(String name) {
            return switch (name) {
                case "qwen2.5-0.5b", "0.5b" -> QWEN2_5_0_5B;
                case "tiny" -> TINY;
                default -> throw new IllegalArgumentException("unknown model shape '" + name
                        + "' (qwen2.5-0.5b, tiny)");
            };
        }

        /** The same shape with {@code n} layers (a shorter model for a quick run). */
        public Shape withLayers(int n) {
            return new Shape(n == layers ? name : name + "-" + n + "l", hidden, n, heads, kvHeads, intermediate, vocab,
                    tied, ropeTheta, maxPositions);
        }

        public int headDim() {
            return hidden / heads;
        }

        /** Every tensor in Hugging Face's names and order, with its shape. */
        public Map<String, long[]> tensors() {
            Map<String, long[]> t = new LinkedHashMap<>();
            int q = heads * headDim();
            int kv = kvHeads * headDim();
            t.put("model.embed_tokens.weight", new long[] {vocab, hidden});
            for (int i = 0; i < layers; i++) {
                String p = "model.layers." + i + ".";
                t.put(p + "input_layernorm.weight", new long[] {hidden});
                t.put(p + "self_attn.q_proj.weight", new long[] {q, hidden});
                t.put(p + "self_attn.q_proj.bias", new long[] {q});
                t.put(p + "self_attn.k_proj.weight", new long[] {kv, hidden});
                t.put(p + "self_attn.k_proj.bias", new long[] {kv});
                t.put(p + "self_attn.v_proj.weight", new long[] {kv, hidden});
                t.put(p + "self_attn.v_proj.bias", new long[] {kv});
                t.put(p + "self_attn.o_proj.weight", new long[] {hidden, q});
                t.put(p + "post_attention_layernorm.weight", new long[] {hidden});
                t.put(p + "mlp.gate_proj.weight", new long[] {intermediate, hidden});
                t.put(p + "mlp.up_proj.weight", new long[] {intermediate, hidden});
                t.put(p + "mlp.down_proj.weight", new long[] {hidden, intermediate});
            }
            t.put("model.norm.weight", new long[] {hidden});
            if (!tied) {
                t.put("lm_head.weight", new long[] {vocab, hidden});
            }
            return t;
        }

        /** Number of parameters (the tied head counted once). */
        public long parameters() {
            long n = 0;
            for (long[] s : tensors().values()) {
                n += HostTensor.elementCount(s);
            }
            return n;
        }

        /**
         * Weight elements one decode step reads: every layer, the final norm and the whole output head, but of the
         * embedding only the one row it looks up (the head reads the full matrix again when tied).
         */
        public long elementsReadPerToken() {
            long embed = (long) vocab * hidden;
            return parameters() - embed + hidden + (tied ? embed : 0);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RandomModel() {
    }

    /** The config.json of {@code shape} in Hugging Face's keys. */
    public static ObjectNode config(Shape s, DType dtype) {
        ObjectNode c = MAPPER.createObjectNode();
        c.putArray("architectures").add("Qwen2ForCausalLM");
        c.put("model_type", "qwen2");
        c.put("hidden_act", "silu");
        c.put("hidden_size", s.hidden());
        c.put("intermediate_size", s.intermediate());
        c.put("num_hidden_layers", s.layers());
        c.put("num_attention_heads", s.heads());
        c.put("num_key_value_heads", s.kvHeads());
        c.put("rms_norm_eps", 1e-6);
        c.put("rope_theta", s.ropeTheta());
        c.put("max_position_embeddings", s.maxPositions());
        c.put("vocab_size", s.vocab());
        c.put("tie_word_embeddings", s.tied());
        c.put("torch_dtype", switch (dtype) {
            case F32 -> "float32";
            case F16 -> "float16";
            case BF16 -> "bfloat16";
        });
        c.put("use_sliding_window", false);
        return c;
    }

    /**
     * The folder for {@code shape} under {@code cacheDir}, written now unless a complete copy from the same shape,
     * dtype and seed is already there. The folder appears atomically (written beside it, then renamed).
     *
     * @return the model folder
     */
    public static Path writeOrReuse(Path cacheDir, Shape shape, DType dtype, long seed) {
        String key = shape.name() + "-" + Integer.toHexString(
                (config(shape, dtype).toString() + "|" + seed).hashCode()) + "-" + dtype.name().toLowerCase();
        Path dir = cacheDir.resolve(key);
        if (Files.isRegularFile(dir.resolve("config.json")) && Files.isRegularFile(dir.resolve(Checkpoint.SINGLE))) {
            return dir;
        }
        Path tmp = null;
        try {
            Files.createDirectories(cacheDir);
            tmp = Files.createTempDirectory(cacheDir, "." + key);
            write(tmp, shape, dtype, seed);
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.isRegularFile(dir.resolve(Checkpoint.SINGLE))) {
                    throw e;
                }
                // another process wrote the same model meanwhile; ours is identical
                deleteTree(tmp);
            }
            tmp = null;
            return dir;
        } catch (IOException e) {
            throw new EngineException(dir + ": cannot write the random model: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                deleteTree(tmp);
            }
        }
    }

    /** Writes config.json and model.safetensors of a random {@code shape} into {@code dir}. */
    public static void write(Path dir, Shape shape, DType dtype, long seed) throws IOException {
        Files.createDirectories(dir);
        Map<String, long[]> tensors = shape.tensors();
        ObjectNode header = MAPPER.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (Map.Entry<String, long[]> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", dtype.name());
            ArrayNode dims = t.putArray("shape");
            for (long d : e.getValue()) {
                dims.add(d);
            }
            long bytes = HostTensor.elementCount(e.getValue()) * dtype.bytes();
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = MAPPER.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        SplittableRandom random = new SplittableRandom(seed);
        // uniform on [-a, a] has standard deviation a / sqrt(3)
        float a = (float) (0.02 * Math.sqrt(3));
        try (OutputStream os = Files.newOutputStream(dir.resolve(Checkpoint.SINGLE))) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            buf.putLong(padded).put(json);
            buf.put(" ".repeat(padded - json.length).getBytes(StandardCharsets.US_ASCII));
            for (Map.Entry<String, long[]> e : tensors.entrySet()) {
                boolean norm = e.getKey().endsWith("norm.weight");
                long n = HostTensor.elementCount(e.getValue());
                for (long i = 0; i < n; i++) {
                    if (buf.remaining() < 4) {
                        os.write(buf.array(), 0, buf.position());
                        buf.clear();
                    }
                    float v = norm ? 1f : (float) (a * (2 * random.nextDouble() - 1));
                    switch (dtype) {
                        case F32 -> buf.putFloat(v);
                        case F16 -> buf.putShort(Float.floatToFloat16(v));
                        case BF16 -> buf.putShort(DType.floatToBf16(v));
                    }
                }
            }
            os.write(buf.array(), 0, buf.position());
        }
        Files.writeString(dir.resolve("config.json"), config(shape, dtype).toPrettyString());
    }

    private static void deleteTree(Path p) {
        try (var s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover hidden temporary folder is harmless
        }
    }
}
