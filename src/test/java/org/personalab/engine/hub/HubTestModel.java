package org.personalab.engine.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.personalab.engine.Checkpoint;
import org.personalab.engine.DType;
import org.personalab.engine.HostTensor;

/**
 * A complete, loadable tiny Qwen2 model folder as a hub repository holds it: config, generation config, weights in
 * two safetensors shards (about 1 MB, so the first is larger than one download buffer) with their index, a real
 * byte-level BPE {@code tokenizer.json}, a {@code tokenizer_config.json} with a ChatML template, README and LICENSE —
 * plus files the engine does not need ({@code pytorch_model.bin}, {@code onnx/model.onnx}) that the default selection
 * must leave out.
 */
public final class HubTestModel {

    static final int HIDDEN = 64;
    static final int LAYERS = 2;
    static final int HEADS = 4;
    static final int KV_HEADS = 2;
    static final int INTERMEDIATE = 512;
    static final int VOCAB = 300;
    /** The files the default selection downloads. */
    public static final java.util.List<String> ENGINE_FILES = java.util.List.of("config.json",
            "generation_config.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
            "model.safetensors.index.json", "tokenizer.json", "tokenizer_config.json", "LICENSE", "README.md");

    private HubTestModel() {
    }

    /** Writes the repository's files into {@code dir} (created) and returns it. */
    public static Path write(Path dir, long seed) {
        try {
            Files.createDirectories(dir);
            ObjectMapper m = new ObjectMapper();
            ObjectNode c = m.createObjectNode();
            c.putArray("architectures").add("Qwen2ForCausalLM");
            c.put("model_type", "qwen2");
            c.put("hidden_act", "silu");
            c.put("hidden_size", HIDDEN);
            c.put("intermediate_size", INTERMEDIATE);
            c.put("num_hidden_layers", LAYERS);
            c.put("num_attention_heads", HEADS);
            c.put("num_key_value_heads", KV_HEADS);
            c.put("rms_norm_eps", 1e-6);
            c.put("rope_theta", 10000.0);
            c.put("max_position_embeddings", 512);
            c.put("vocab_size", VOCAB);
            c.put("tie_word_embeddings", true);
            c.put("eos_token_id", 258);
            Files.writeString(dir.resolve("config.json"), c.toPrettyString());
            Files.writeString(dir.resolve("generation_config.json"), "{\"do_sample\": false, \"eos_token_id\": 258}");
            Checkpoint.write(dir, weights(seed), DType.F32, 600_000);
            Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson(m).toPrettyString());
            ObjectNode tc = m.createObjectNode();
            tc.put("eos_token", "<|im_end|>");
            tc.put("pad_token", "<|endoftext|>");
            tc.put("chat_template", "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + "
                    + "message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}"
                    + "{{ '<|im_start|>assistant\\n' }}{% endif %}");
            Files.writeString(dir.resolve("tokenizer_config.json"), tc.toPrettyString());
            Files.writeString(dir.resolve("README.md"), "# tiny test model\n");
            Files.writeString(dir.resolve("LICENSE"), "Apache License 2.0 (test fixture)\n");
            byte[] junk = new byte[50_000];
            new Random(seed + 1).nextBytes(junk);
            Files.write(dir.resolve("pytorch_model.bin"), junk);
            Files.createDirectories(dir.resolve("onnx"));
            Files.write(dir.resolve("onnx/model.onnx"), junk);
            Files.writeString(dir.resolve(".gitattributes"), "*.safetensors filter=lfs diff=lfs merge=lfs -text\n",
                    StandardCharsets.UTF_8);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, HostTensor> weights(long seed) {
        Random r = new Random(seed);
        Map<String, HostTensor> w = new LinkedHashMap<>();
        int headDim = HIDDEN / HEADS;
        put(w, r, "model.embed_tokens.weight", VOCAB, HIDDEN);
        for (int i = 0; i < LAYERS; i++) {
            String p = "model.layers." + i + ".";
            put(w, r, p + "input_layernorm.weight", HIDDEN);
            put(w, r, p + "self_attn.q_proj.weight", HEADS * headDim, HIDDEN);
            put(w, r, p + "self_attn.q_proj.bias", HEADS * headDim);
            put(w, r, p + "self_attn.k_proj.weight", KV_HEADS * headDim, HIDDEN);
            put(w, r, p + "self_attn.k_proj.bias", KV_HEADS * headDim);
            put(w, r, p + "self_attn.v_proj.weight", KV_HEADS * headDim, HIDDEN);
            put(w, r, p + "self_attn.v_proj.bias", KV_HEADS * headDim);
            put(w, r, p + "self_attn.o_proj.weight", HIDDEN, HEADS * headDim);
            put(w, r, p + "post_attention_layernorm.weight", HIDDEN);
            put(w, r, p + "mlp.gate_proj.weight", INTERMEDIATE, HIDDEN);
            put(w, r, p + "mlp.up_proj.weight", INTERMEDIATE, HIDDEN);
            put(w, r, p + "mlp.down_proj.weight", HIDDEN, INTERMEDIATE);
        }
        put(w, r, "model.norm.weight", HIDDEN);
        return w;
    }

    private static void put(Map<String, HostTensor> w, Random r, String name, long... shape) {
        float[] data = new float[(int) HostTensor.elementCount(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (0.1 * r.nextGaussian());
        }
        w.put(name, new HostTensor(shape, data));
    }

    private static ObjectNode tokenizerJson(ObjectMapper m) {
        ObjectNode t = m.createObjectNode();
        t.put("version", "1.0");
        t.putNull("truncation");
        t.putNull("padding");
        ArrayNode added = t.putArray("added_tokens");
        String[] specials = {"<|endoftext|>", "<|im_start|>", "<|im_end|>"};
        for (int i = 0; i < specials.length; i++) {
            added.addObject().put("id", 256 + i).put("content", specials[i]).put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
        }
        t.putNull("normalizer");
        t.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", true).put("use_regex", true);
        t.putNull("post_processor");
        t.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true).put("trim_offsets", true)
                .put("use_regex", true);
        ObjectNode model = t.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            vocab.put(String.valueOf(printable ? (char) b : (char) (256 + n++)), b);
        }
        model.putArray("merges");
        return t;
    }
}
