package org.personalab.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * LoRA hyper-parameters with PEFT's names and meaning (Hu et al. 2021): rank {@code r}, {@code lora_alpha} (the update
 * is scaled by alpha / r, or alpha / √r with {@code use_rslora}), {@code lora_dropout} on the adapter's input during
 * training, and the {@code target_modules} that get adapters (q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj,
 * down_proj, or "all-linear" for all seven). Read from and written to PEFT's {@code adapter_config.json}.
 */
public record LoraConfig(int r, double loraAlpha, double loraDropout, List<String> targetModules, boolean useRslora,
        String baseModel) {

    public static final List<String> ALL_LINEAR =
            List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public LoraConfig {
        if (r < 1) {
            throw new IllegalArgumentException("LoRA r must be at least 1, not " + r);
        }
        if (!(loraAlpha > 0)) {
            throw new IllegalArgumentException("lora_alpha must be positive, not " + loraAlpha);
        }
        if (!(loraDropout >= 0 && loraDropout < 1)) {
            throw new IllegalArgumentException("lora_dropout must be in [0, 1), not " + loraDropout);
        }
        targetModules = targetModules.equals(List.of("all-linear")) ? ALL_LINEAR : List.copyOf(targetModules);
        if (targetModules.isEmpty()) {
            throw new IllegalArgumentException("target_modules is empty");
        }
        for (String m : targetModules) {
            if (!ALL_LINEAR.contains(m)) {
                throw new IllegalArgumentException("target_modules: '" + m + "' is not one of " + ALL_LINEAR
                        + " or all-linear");
            }
        }
    }

    /** The factor on {@code B·A}: alpha / r (alpha / √r with rsLoRA). */
    public double scaling() {
        return useRslora ? loraAlpha / Math.sqrt(r) : loraAlpha / r;
    }

    /** Reads PEFT's {@code adapter_config.json}; unsupported options are refused with the field named. */
    public static LoraConfig load(Path file) {
        JsonNode c;
        try {
            c = MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new EngineException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (c == null || !c.isObject()) {
            throw new EngineException(file + ": not a JSON object");
        }
        String type = c.path("peft_type").asText("LORA");
        if (!type.equals("LORA")) {
            throw new EngineException(file + ": peft_type '" + type + "' is not supported (LORA)");
        }
        for (String off : List.of("use_dora", "fan_in_fan_out")) {
            if (c.path(off).asBoolean(false)) {
                throw new EngineException(file + ": " + off + " = true is not supported");
            }
        }
        if (!c.path("bias").asText("none").equals("none")) {
            throw new EngineException(file + ": bias '" + c.path("bias").asText() + "' is not supported (none)");
        }
        if (c.hasNonNull("layers_to_transform")) {
            throw new EngineException(file + ": layers_to_transform is not supported");
        }
        JsonNode t = c.get("target_modules");
        List<String> targets = new ArrayList<>();
        if (t != null && t.isArray()) {
            t.forEach(n -> targets.add(n.asText()));
        } else if (t != null && t.isTextual() && t.asText().equals("all-linear")) {
            targets.add("all-linear");
        } else {
            throw new EngineException(file + ": field 'target_modules' must be a list of module names or "
                    + "\"all-linear\"");
        }
        if (!c.path("r").canConvertToInt() || !c.path("lora_alpha").isNumber()) {
            throw new EngineException(file + ": fields 'r' and 'lora_alpha' are required numbers");
        }
        try {
            return new LoraConfig(c.get("r").asInt(), c.get("lora_alpha").asDouble(),
                    c.path("lora_dropout").asDouble(0), targets, c.path("use_rslora").asBoolean(false),
                    c.path("base_model_name_or_path").asText(null));
        } catch (IllegalArgumentException e) {
            throw new EngineException(file + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code adapter_config.json} with the fields PEFT and vLLM read. */
    public void write(Path file) {
        ObjectNode c = MAPPER.createObjectNode();
        c.put("peft_type", "LORA");
        c.put("task_type", "CAUSAL_LM");
        c.put("base_model_name_or_path", baseModel);
        c.put("r", r);
        c.put("lora_alpha", loraAlpha);
        c.put("lora_dropout", loraDropout);
        targetModules.forEach(c.putArray("target_modules")::add);
        c.put("bias", "none");
        c.put("fan_in_fan_out", false);
        c.put("inference_mode", true);
        c.put("init_lora_weights", true);
        c.put("use_rslora", useRslora);
        c.put("use_dora", false);
        c.putNull("modules_to_save");
        c.putNull("layers_to_transform");
        c.putNull("layers_pattern");
        c.putNull("revision");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".adapter_config", ".tmp");
            Files.writeString(tmp, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(c));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new EngineException(file + ": cannot write: " + e.getMessage(), e);
        }
    }
}
