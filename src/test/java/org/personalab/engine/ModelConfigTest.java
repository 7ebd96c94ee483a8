package org.personalab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config.json of real Qwen2 / Llama models, defaults, rope scaling, and located errors. */
class ModelConfigTest {

    /** config.json of Qwen/Qwen2.5-0.5B-Instruct as published. */
    static final String QWEN25_05B = """
            {
              "architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643,
              "eos_token_id": 151645, "hidden_act": "silu", "hidden_size": 896, "initializer_range": 0.02,
              "intermediate_size": 4864, "max_position_embeddings": 32768, "max_window_layers": 21,
              "model_type": "qwen2", "num_attention_heads": 14, "num_hidden_layers": 24, "num_key_value_heads": 2,
              "rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "sliding_window": 32768, "tie_word_embeddings": true,
              "torch_dtype": "bfloat16", "transformers_version": "4.43.1", "use_cache": true,
              "use_sliding_window": false, "vocab_size": 151936
            }""";

    /** The rope part of meta-llama/Llama-3.2-1B's config.json. */
    static final String LLAMA32 = """
            {
              "model_type": "llama", "hidden_size": 2048, "intermediate_size": 8192, "num_hidden_layers": 16,
              "num_attention_heads": 32, "num_key_value_heads": 8, "head_dim": 64, "rms_norm_eps": 1e-05,
              "rope_theta": 500000.0, "max_position_embeddings": 131072, "vocab_size": 128256,
              "tie_word_embeddings": true, "attention_bias": false, "mlp_bias": false,
              "eos_token_id": [128001, 128008, 128009],
              "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                               "original_max_position_embeddings": 8192, "rope_type": "llama3"}
            }""";

    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void qwen25Config() throws Exception {
        Files.writeString(tmp.resolve("config.json"), QWEN25_05B);
        ModelConfig c = ModelConfig.load(tmp);
        assertEquals("qwen2", c.modelType());
        assertEquals(896, c.hiddenSize());
        assertEquals(64, c.headDim());
        assertEquals(7, c.groupSize());
        assertEquals(1e6, c.ropeTheta());
        assertEquals(RopeScaling.NONE, c.ropeScaling());
        assertTrue(c.tieWordEmbeddings());
        assertTrue(c.qkvBias());
        assertFalse(c.outputBias());
        assertFalse(c.mlpBias());
        assertEquals(List.of(151645), c.eosTokenIds());
    }

    @Test
    void llamaConfigWithLlama3RopeScaling() throws Exception {
        ModelConfig c = ModelConfig.parse(MAPPER.readTree(LLAMA32), "config.json");
        assertFalse(c.qkvBias());
        assertEquals(List.of(128001, 128008, 128009), c.eosTokenIds());
        RopeScaling s = c.ropeScaling();
        assertEquals(RopeScaling.Type.LLAMA3, s.type());
        float[] plain = RopeScaling.NONE.inverseFrequencies(c.ropeTheta(), 64, 131072, 0);
        float[] scaled = s.inverseFrequencies(c.ropeTheta(), 64, 131072, 0);
        int kept = 0;
        int divided = 0;
        int between = 0;
        for (int i = 0; i < plain.length; i++) {
            double wavelen = 2 * Math.PI / plain[i];
            if (wavelen < 8192 / 4.0) {
                assertEquals(plain[i], scaled[i], 0f, "high frequency " + i + " is kept");
                kept++;
            } else if (wavelen > 8192 / 1.0) {
                assertEquals(plain[i] / 32, scaled[i], plain[i] * 1e-6, "low frequency " + i + " is divided");
                divided++;
            } else {
                assertTrue(scaled[i] < plain[i] && scaled[i] > plain[i] / 32, "medium frequency " + i);
                between++;
            }
        }
        assertTrue(kept > 0 && divided > 0 && between > 0, kept + "/" + between + "/" + divided);
    }

    @Test
    void linearAndDynamicScaling() throws Exception {
        ObjectNode c = (ObjectNode) MAPPER.readTree(QWEN25_05B);
        c.putObject("rope_scaling").put("type", "linear").put("factor", 4.0);
        RopeScaling linear = ModelConfig.parse(c, "config.json").ropeScaling();
        float[] plain = RopeScaling.NONE.inverseFrequencies(1e6, 64, 32768, 0);
        float[] lin = linear.inverseFrequencies(1e6, 64, 32768, 0);
        for (int i = 0; i < plain.length; i++) {
            assertEquals(plain[i] / 4, lin[i], plain[i] * 1e-6);
        }
        c.putObject("rope_scaling").put("rope_type", "dynamic").put("factor", 2.0);
        RopeScaling dyn = ModelConfig.parse(c, "config.json").ropeScaling();
        assertTrue(dyn.dependsOnLength());
        // within the trained context nothing changes; beyond it the base grows by
        // ((factor·L/max) − (factor − 1))^(d/(d−2)): at L = 2·max that is 3^(64/62)
        assertEquals(plain[5], dyn.inverseFrequencies(1e6, 64, 32768, 32768)[5], 0f);
        double base = 1e6 * Math.pow(3, 64 / 62.0);
        double expected = 1 / Math.pow(base, 10 / 64.0);
        assertEquals(expected, dyn.inverseFrequencies(1e6, 64, 32768, 65536)[5], expected * 1e-6);
    }

    @Test
    void errorsNameTheField() throws Exception {
        assertError(c -> c.remove("hidden_size"), "field 'hidden_size' is missing");
        assertError(c -> c.put("num_key_value_heads", 3), "multiple of num_key_value_heads");
        assertError(c -> c.put("num_attention_heads", "fourteen"), "field 'num_attention_heads' must be an integer");
        assertError(c -> c.put("model_type", "gpt2"), "model_type 'gpt2' is not supported");
        assertError(c -> c.put("hidden_act", "gelu"), "hidden_act 'gelu'");
        assertError(c -> c.put("use_sliding_window", true), "use_sliding_window");
        assertError(c -> c.putObject("rope_scaling").put("rope_type", "yarn").put("factor", 4.0),
                "rope_scaling type 'yarn' is not supported");
        assertError(c -> c.putObject("rope_scaling").put("type", "linear"), "rope_scaling: field 'factor' is missing");
        assertError(c -> c.put("tie_word_embeddings", "yes"), "field 'tie_word_embeddings' must be true or false");
        Files.writeString(tmp.resolve("config.json"), "{ not json");
        EngineException e = assertThrows(EngineException.class, () -> ModelConfig.load(tmp));
        assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("not valid JSON"));
    }

    private static void assertError(java.util.function.Consumer<ObjectNode> edit, String expected) throws Exception {
        ObjectNode c = (ObjectNode) MAPPER.readTree(QWEN25_05B);
        edit.accept(c);
        EngineException e = assertThrows(EngineException.class, () -> ModelConfig.parse(c, "/m/config.json"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains("config.json"), e.getMessage());
    }
}
