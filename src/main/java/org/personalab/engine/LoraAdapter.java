package org.personalab.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A LoRA adapter on a {@link DecoderModel}: one {@link LoraLinear} per targeted projection of every layer, put in
 * place of the frozen base projection. Saved and loaded in PEFT's format — {@code adapter_config.json} plus
 * {@code adapter_model.safetensors} with keys such as
 * {@code base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight} — so PEFT and vLLM load our adapters and we
 * load theirs. {@link #mergedWeights} folds the adapter into the base for export.
 */
public final class LoraAdapter implements AutoCloseable {

    public static final String CONFIG_FILE = "adapter_config.json";
    public static final String WEIGHTS_FILE = "adapter_model.safetensors";
    private static final String PREFIX = "base_model.model.";
    private static final java.util.Set<String> ATTENTION_MODULES = java.util.Set.of("q_proj", "k_proj", "v_proj",
            "o_proj");
    private static final Pattern KEY = Pattern.compile(
            "base_model\\.model\\.(model\\.layers\\.(\\d+)\\.(?:self_attn|mlp)\\.(\\w+))\\.lora_([AB])(?:\\.default)?"
                    + "\\.weight");

    private final DecoderModel model;
    private final LoraConfig config;
    private final NDManager manager;
    private final Map<String, LoraLinear> modules;
    private boolean attached = true;

    private LoraAdapter(DecoderModel model, LoraConfig config, NDManager manager, Map<String, LoraLinear> modules) {
        this.model = model;
        this.config = config;
        this.manager = manager;
        this.modules = Collections.unmodifiableMap(modules);
    }

    /**
     * A fresh adapter as PEFT initialises one: A uniform in ±1/√in (Kaiming-uniform with a = √5), B = 0, so the
     * model computes exactly its base until B is trained. Seeded for reproducibility.
     */
    public static LoraAdapter create(DecoderModel model, LoraConfig config, long seed) {
        Random random = new Random(seed);
        Map<String, float[][]> ab = new LinkedHashMap<>();
        forEachTarget(model, config, (module, base) -> {
            int in = base.inFeatures();
            float[] a = new float[config.r() * in];
            double bound = 1 / Math.sqrt(in);
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
            ab.put(module, new float[][] {a, new float[base.outFeatures() * config.r()]});
        });
        return attach(model, config, ab);
    }

    /** Loads a PEFT adapter folder and puts it on {@code model}. */
    public static LoraAdapter load(DecoderModel model, Path dir) {
        Path configFile = dir.resolve(CONFIG_FILE);
        Path weightsFile = dir.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(configFile) || !Files.isRegularFile(weightsFile)) {
            throw new EngineException(dir + ": a PEFT adapter folder needs " + CONFIG_FILE + " and " + WEIGHTS_FILE);
        }
        LoraConfig config = LoraConfig.load(configFile);
        SafeTensorsFile st = SafeTensorsFile.open(weightsFile);
        Map<String, HostTensor[]> found = new LinkedHashMap<>();
        for (String key : st.names()) {
            Matcher m = KEY.matcher(key);
            if (!m.matches()) {
                throw new EngineException(weightsFile + ": tensor '" + key + "' is not a LoRA weight of a decoder "
                        + "layer (expected e.g. " + PREFIX + "model.layers.0.self_attn.q_proj.lora_A.weight)");
            }
            if (!config.targetModules().contains(m.group(3))) {
                throw new EngineException(weightsFile + ": tensor '" + key + "' adapts " + m.group(3)
                        + ", which target_modules in " + CONFIG_FILE + " does not list");
            }
            found.computeIfAbsent(m.group(1), k -> new HostTensor[2])[m.group(4).equals("A") ? 0 : 1] = st.read(key);
        }
        Map<String, float[][]> ab = new LinkedHashMap<>();
        forEachTarget(model, config, (module, base) -> {
            HostTensor[] pair = found.remove(module);
            if (pair == null || pair[0] == null || pair[1] == null) {
                throw new EngineException(weightsFile + ": " + PREFIX + module + ".lora_"
                        + (pair == null || pair[0] == null ? "A" : "B") + ".weight is missing");
            }
            check(weightsFile, module + ".lora_A", pair[0], config.r(), base.inFeatures());
            check(weightsFile, module + ".lora_B", pair[1], base.outFeatures(), config.r());
            ab.put(module, new float[][] {pair[0].data(), pair[1].data()});
        });
        if (!found.isEmpty()) {
            throw new EngineException(weightsFile + ": adapts " + found.keySet().iterator().next()
                    + ", which this model (" + model.config().numHiddenLayers() + " layers) does not have");
        }
        return attach(model, config, ab);
    }

    private static void check(Path file, String name, HostTensor t, long rows, long cols) {
        if (t.rank() != 2 || t.dim(0) != rows || t.dim(1) != cols) {
            throw new EngineException(file + ": " + PREFIX + name + ".weight has shape "
                    + java.util.Arrays.toString(t.shape()) + ", expected [" + rows + ", " + cols + "] (r = "
                    + "adapter_config.json, the rest from the base model)");
        }
    }

    private static LoraAdapter attach(DecoderModel model, LoraConfig config, Map<String, float[][]> ab) {
        NDManager manager = model.manager().newSubManager();
        Map<String, LoraLinear> modules = new LinkedHashMap<>();
        forEachTarget(model, config, (module, base) -> {
            float[][] w = ab.get(module);
            NDArray a = manager.create(w[0], new Shape(config.r(), base.inFeatures()));
            NDArray b = manager.create(w[1], new Shape(base.outFeatures(), config.r()));
            modules.put(module, new LoraLinear(base, a, b, config.scaling()));
        });
        modules.forEach((module, lora) -> replace(model, module, lora));
        return new LoraAdapter(model, config, manager, modules);
    }

    /** Module paths such as {@code model.layers.3.mlp.up_proj} with the base {@link Linear} each adapts. */
    private static void forEachTarget(DecoderModel model, LoraConfig config,
            java.util.function.BiConsumer<String, Linear> action) {
        for (int i = 0; i < model.layers().size(); i++) {
            DecoderLayer layer = model.layers().get(i);
            for (String target : config.targetModules()) {
                boolean attention = ATTENTION_MODULES.contains(target);
                Projection p = attention ? layer.attention().projection(target) : layer.mlp().projection(target);
                if (!(p instanceof Linear base)) {
                    throw new IllegalStateException("layer " + i + " " + target + " already has an adapter");
                }
                action.accept("model.layers." + i + (attention ? ".self_attn." : ".mlp.") + target, base);
            }
        }
    }

    private static void replace(DecoderModel model, String module, Projection p) {
        String[] parts = module.split("\\.");
        DecoderLayer layer = model.layers().get(Integer.parseInt(parts[2]));
        if (parts[3].equals("self_attn")) {
            layer.attention().replace(parts[4], p);
        } else {
            layer.mlp().replace(parts[4], p);
        }
    }

    public LoraConfig config() {
        return config;
    }

    /** The adapted modules by path ({@code model.layers.0.self_attn.q_proj}). */
    public Map<String, LoraLinear> modules() {
        return modules;
    }

    /** Writes {@code adapter_model.safetensors} (float32) and then {@code adapter_config.json} into {@code dir}. */
    public void save(Path dir) {
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        modules.forEach((module, lora) -> {
            tensors.put(PREFIX + module + ".lora_A.weight", host(lora.a()));
            tensors.put(PREFIX + module + ".lora_B.weight", host(lora.b()));
        });
        SafeTensorsWriter.write(dir.resolve(WEIGHTS_FILE), tensors, DType.F32, Map.of("format", "pt"));
        config.write(dir.resolve(CONFIG_FILE));
    }

    /** All base weights with each adapted projection replaced by {@code W + s·B·A}: a plain model to export. */
    public Map<String, HostTensor> mergedWeights() {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        model.weights().forEach((name, w) -> {
            String module = name.endsWith(".weight") ? name.substring(0, name.length() - ".weight".length()) : null;
            LoraLinear lora = module == null ? null : modules.get(module);
            if (lora == null) {
                out.put(name, host(w));
            } else {
                try (NDArray merged = lora.mergedWeight()) {
                    out.put(name, host(merged));
                }
            }
        });
        return out;
    }

    /** Puts the base projections back; the model computes its base again. */
    public void detach() {
        if (attached) {
            modules.forEach((module, lora) -> replace(model, module, lora.base()));
            attached = false;
        }
    }

    /** The values of {@code a} in Java memory, as float32 (float16 weights are widened exactly). */
    static HostTensor host(NDArray a) {
        if (a.getDataType() == ai.djl.ndarray.types.DataType.FLOAT32) {
            return new HostTensor(a.getShape().getShape(), a.toFloatArray());
        }
        try (NDArray f = a.toType(ai.djl.ndarray.types.DataType.FLOAT32, true)) {
            return new HostTensor(a.getShape().getShape(), f.toFloatArray());
        }
    }

    /** Detaches the adapter and frees its weights. */
    @Override
    public void close() {
        detach();
        manager.close();
    }
}
