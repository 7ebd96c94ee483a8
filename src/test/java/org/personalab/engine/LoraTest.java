package org.personalab.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoRA adapters: B = 0 is the base, PEFT files load with the right math, save/load round trip, merge for export. */
class LoraTest {

    static final int R = 4;
    static final double ALPHA = 8;
    static final List<String> TARGETS = List.of("q_proj", "v_proj", "down_proj");
    static final int[] PROMPT = DecoderModelTest.PROMPT;

    @TempDir
    Path tmp;

    @Test
    void freshAdapterWithBZeroComputesExactlyTheBase() {
        TinyModel tiny = TinyModel.random(31, false, false);
        try (DecoderModel model = DecoderModel.load(tiny.write(tmp.resolve("m"), DType.F32, 1))) {
            float[][] base = DecoderModelTest.logits(model, PROMPT);
            LoraConfig config = new LoraConfig(R, ALPHA, 0.05, List.of("all-linear"), false, "tiny");
            try (LoraAdapter adapter = LoraAdapter.create(model, config, 7)) {
                assertEquals(2 * 7, adapter.modules().size());
                LoraLinear q = adapter.modules().get("model.layers.1.self_attn.q_proj");
                float[] a = q.a().toFloatArray();
                double bound = 1 / Math.sqrt(TinyModel.HIDDEN);
                assertTrue(java.util.Arrays.stream(toDouble(a)).allMatch(v -> Math.abs(v) <= bound));
                assertTrue(java.util.Arrays.stream(toDouble(a)).anyMatch(v -> v != 0));
                assertTrue(java.util.Arrays.stream(toDouble(q.b().toFloatArray())).allMatch(v -> v == 0));
                float[][] adapted = DecoderModelTest.logits(model, PROMPT);
                for (int t = 0; t < PROMPT.length; t++) {
                    assertArrayEquals(base[t], adapted[t], "position " + t);
                }
            }
        }
    }

    @Test
    void peftAdapterFilesLoadAndComputeTheMergedReference() throws Exception {
        TinyModel tiny = TinyModel.random(32, true, false);
        Path adapterDir = writePeftAdapter(tmp.resolve("peft"), 99);
        try (DecoderModel model = DecoderModel.load(tiny.write(tmp.resolve("m"), DType.F32, 1))) {
            float[][] base = DecoderModelTest.logits(model, PROMPT);
            try (LoraAdapter adapter = LoraAdapter.load(model, adapterDir)) {
                assertEquals(ALPHA / R, adapter.config().scaling());
                float[][] adapted = DecoderModelTest.logits(model, PROMPT);
                DecoderModelTest.assertLogitsMatch(new ReferenceForward(merged(tiny, adapterDir)).logits(PROMPT),
                        adapted);
                assertFalse(java.util.Arrays.equals(base[PROMPT.length - 1], adapted[PROMPT.length - 1]));
                adapter.detach();
                assertArrayEquals(base[PROMPT.length - 1], DecoderModelTest.logits(model, PROMPT)[PROMPT.length - 1]);
            }
        }
    }

    @Test
    void savedAdapterRoundTripsInPeftLayout() throws Exception {
        TinyModel tiny = TinyModel.random(33, false, false);
        Path modelDir = tiny.write(tmp.resolve("m"), DType.F32, 1);
        Path in = writePeftAdapter(tmp.resolve("peft"), 5);
        Path out = tmp.resolve("saved");
        float[][] expected;
        try (DecoderModel model = DecoderModel.load(modelDir); LoraAdapter adapter = LoraAdapter.load(model, in)) {
            expected = DecoderModelTest.logits(model, PROMPT);
            adapter.save(out);
        }
        SafeTensorsFile original = SafeTensorsFile.open(in.resolve(LoraAdapter.WEIGHTS_FILE));
        SafeTensorsFile saved = SafeTensorsFile.open(out.resolve(LoraAdapter.WEIGHTS_FILE));
        assertEquals(new java.util.TreeSet<>(original.names()), new java.util.TreeSet<>(saved.names()));
        assertTrue(saved.contains("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"));
        for (String name : original.names()) {
            assertEquals(original.read(name), saved.read(name), name);
        }
        JsonNode cfg = new ObjectMapper().readTree(Files.readString(out.resolve(LoraAdapter.CONFIG_FILE)));
        assertEquals("LORA", cfg.get("peft_type").asText());
        assertEquals("CAUSAL_LM", cfg.get("task_type").asText());
        assertEquals(R, cfg.get("r").asInt());
        assertEquals(ALPHA, cfg.get("lora_alpha").asDouble());
        assertEquals(TARGETS, List.of(new ObjectMapper().treeToValue(cfg.get("target_modules"), String[].class)));
        try (DecoderModel model = DecoderModel.load(modelDir); LoraAdapter adapter = LoraAdapter.load(model, out)) {
            assertEquals(2 * TARGETS.size(), adapter.modules().size());
            float[][] again = DecoderModelTest.logits(model, PROMPT);
            for (int t = 0; t < PROMPT.length; t++) {
                assertArrayEquals(expected[t], again[t]);
            }
        }
    }

    @Test
    void mergedExportEqualsTheAdaptedModel() throws Exception {
        TinyModel tiny = TinyModel.random(34, false, true);
        Path modelDir = tiny.write(tmp.resolve("m"), DType.BF16, 2);
        Path exportDir = tmp.resolve("export");
        float[][] adapted;
        try (DecoderModel model = DecoderModel.load(modelDir);
                LoraAdapter adapter = LoraAdapter.load(model, writePeftAdapter(tmp.resolve("peft"), 8))) {
            adapted = DecoderModelTest.logits(model, PROMPT);
            Map<String, HostTensor> merged = adapter.mergedWeights();
            assertEquals(model.weights().keySet(), merged.keySet());
            Checkpoint.write(exportDir, merged, DType.F32, Long.MAX_VALUE);
        }
        Files.copy(modelDir.resolve("config.json"), exportDir.resolve("config.json"));
        try (DecoderModel exported = DecoderModel.load(exportDir)) {
            float[][] plain = DecoderModelTest.logits(exported, PROMPT);
            for (int t = 0; t < PROMPT.length; t++) {
                DecoderModelTest.assertClose(adapted[t], plain[t], "position " + t);
            }
        }
    }

    @Test
    void badAdapterFilesAreReported() throws Exception {
        TinyModel tiny = TinyModel.random(35, true, false);
        try (DecoderModel model = DecoderModel.load(tiny.write(tmp.resolve("m"), DType.F32, 1))) {
            Path dir = writePeftAdapter(tmp.resolve("a"), 1);
            Map<String, HostTensor> t = readAll(dir);
            t.remove("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight");
            SafeTensorsWriter.write(dir.resolve(LoraAdapter.WEIGHTS_FILE), t, DType.F32);
            assertMessage(model, dir, "model.layers.1.mlp.down_proj.lora_B.weight is missing");

            dir = writePeftAdapter(tmp.resolve("b"), 1);
            t = readAll(dir);
            t.put("base_model.model.model.layers.0.self_attn.k_proj.lora_A.weight",
                    HostTensor.of(new float[R * TinyModel.HIDDEN], R, TinyModel.HIDDEN));
            SafeTensorsWriter.write(dir.resolve(LoraAdapter.WEIGHTS_FILE), t, DType.F32);
            assertMessage(model, dir, "k_proj, which target_modules");

            dir = writePeftAdapter(tmp.resolve("c"), 1);
            Files.writeString(dir.resolve(LoraAdapter.CONFIG_FILE),
                    Files.readString(dir.resolve(LoraAdapter.CONFIG_FILE)).replace("\"r\": 4", "\"r\": 2"));
            assertMessage(model, dir, "expected [2, 64]");

            Files.writeString(dir.resolve(LoraAdapter.CONFIG_FILE), "{\"peft_type\": \"LORA\", \"r\": 4, "
                    + "\"lora_alpha\": 8, \"target_modules\": [\"q_proj\"], \"use_dora\": true}");
            assertMessage(model, dir, "use_dora");
            // a failed load leaves the model as it was
            assertTrue(model.layers().get(0).attention().q() instanceof Linear);
        }
    }

    private static void assertMessage(DecoderModel model, Path dir, String expected) {
        EngineException e = assertThrows(EngineException.class, () -> LoraAdapter.load(model, dir));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** An adapter as PEFT writes it (hand-written config, PEFT key names), with random A and B. */
    static Path writePeftAdapter(Path dir, long seed) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(LoraAdapter.CONFIG_FILE), """
                {
                  "alpha_pattern": {}, "auto_mapping": null, "base_model_name_or_path": "tiny-qwen2",
                  "bias": "none", "fan_in_fan_out": false, "inference_mode": true, "init_lora_weights": true,
                  "layers_pattern": null, "layers_to_transform": null, "lora_alpha": 8, "lora_dropout": 0.1,
                  "modules_to_save": null, "peft_type": "LORA", "r": 4, "rank_pattern": {}, "revision": null,
                  "target_modules": ["q_proj", "v_proj", "down_proj"], "task_type": "CAUSAL_LM",
                  "use_dora": false, "use_rslora": false
                }""");
        Random r = new Random(seed);
        Map<String, HostTensor> t = new LinkedHashMap<>();
        for (int layer = 0; layer < TinyModel.LAYERS; layer++) {
            for (String target : TARGETS) {
                String module = "base_model.model.model.layers." + layer
                        + (target.equals("down_proj") ? ".mlp." : ".self_attn.") + target;
                int in = target.equals("down_proj") ? TinyModel.INTERMEDIATE : TinyModel.HIDDEN;
                int out = target.equals("q_proj") ? TinyModel.HEADS * TinyModel.HEAD_DIM
                        : target.equals("v_proj") ? TinyModel.KV_HEADS * TinyModel.HEAD_DIM : TinyModel.HIDDEN;
                t.put(module + ".lora_A.weight", HostTensor.of(gaussian(r, R * in, 0.1), R, in));
                t.put(module + ".lora_B.weight", HostTensor.of(gaussian(r, out * R, 0.1), out, R));
            }
        }
        SafeTensorsWriter.write(dir.resolve(LoraAdapter.WEIGHTS_FILE), t, DType.F32);
        return dir;
    }

    /** The tiny model with W + (alpha/r)·B·A folded in by plain loops, for {@link ReferenceForward}. */
    static TinyModel merged(TinyModel tiny, Path adapterDir) {
        Map<String, HostTensor> w = new LinkedHashMap<>(tiny.weights);
        Map<String, HostTensor> adapter = readAll(adapterDir);
        for (var e : adapter.entrySet()) {
            if (!e.getKey().endsWith("lora_A.weight")) {
                continue;
            }
            String module = e.getKey().substring("base_model.model.".length(),
                    e.getKey().length() - ".lora_A.weight".length());
            HostTensor a = e.getValue();
            HostTensor b = adapter.get(e.getKey().replace("lora_A", "lora_B"));
            HostTensor base = w.get(module + ".weight");
            int out = (int) base.dim(0);
            int in = (int) base.dim(1);
            float[] m = base.data().clone();
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    double s = 0;
                    for (int k = 0; k < R; k++) {
                        s += b.data()[o * R + k] * a.data()[k * in + i];
                    }
                    m[o * in + i] += (float) (ALPHA / R * s);
                }
            }
            w.put(module + ".weight", HostTensor.of(m, out, in));
        }
        return TinyModel.of(w, tiny.tied);
    }

    static Map<String, HostTensor> readAll(Path adapterDir) {
        SafeTensorsFile st = SafeTensorsFile.open(adapterDir.resolve(LoraAdapter.WEIGHTS_FILE));
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (String n : st.names()) {
            out.put(n, st.read(n));
        }
        return out;
    }

    private static float[] gaussian(Random r, int n, double std) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (r.nextGaussian() * std);
        }
        return f;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
