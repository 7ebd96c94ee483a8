package org.personalab.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.personalab.engine.Compute;
import org.personalab.engine.DType;
import org.personalab.engine.EngineException;
import org.personalab.engine.LoraConfig;

/**
 * The settings of one training run, read from a JSON file with TRL's and PEFT's names ({@code SFTConfig},
 * {@code DPOConfig}, {@code LoraConfig}) and their defaults where they exist, so a config carries over to the Python
 * stack. Paths are relative to the config file's folder. Differences from TRL, on purpose: {@code max_length} defaults
 * to 4096 (TRL's 1024 cut most of our spec completions away), {@code truncation_mode} ({@code keep_start}: cut the
 * end; {@code keep_end}: cut the prompt's beginning, keeping the completion) defaults to {@code keep_start} for both
 * kinds (TRL's DPO default is keep_end), {@code max_prompt_length} (cut each prompt to its last tokens first)
 * applies to SFT too and defaults to 0, no limit (TRL's DPO default is 512), SFT computes the loss on assistant tokens only, and {@code heap} is the
 * child JVM's {@code -Xmx}.
 *
 * <p>Where it computes: {@code device} ({@code auto}, {@code cpu}, {@code cuda}, {@code cuda:N}; what Hugging Face's
 * pipelines call it) and {@code torch_dtype} ({@code auto}, {@code float32}, {@code float16}; the
 * {@code from_pretrained} / TRL {@code ModelConfig} name). Both default to {@code auto}: the first GPU DJL sees, else
 * the CPU; float16 on a GPU, float32 on the CPU (Hugging Face's {@code torch_dtype="auto"} takes the checkpoint's
 * dtype instead, which for Qwen2.5 is bfloat16, a dtype DJL cannot hold). The LoRA matrices and AdamW's state stay
 * float32 (master weights) whatever the dtype, and float16 runs scale the loss dynamically as PyTorch's GradScaler
 * does.
 */
public record TrainConfig(Kind kind, Path model, Path adapterInit, Path outputDir, Path trainDataset,
        double learningRate, double numTrainEpochs, int maxSteps, int batchSize, int gradientAccumulationSteps,
        double warmupRatio, int warmupSteps, String lrSchedulerType, double weightDecay, double adamBeta1,
        double adamBeta2, double adamEpsilon, double maxGradNorm, int maxLength, String truncationMode,
        int maxPromptLength, double beta,
        int seed, int saveSteps, int loggingSteps, LoraConfig lora, String heap, String device, String torchDtype) {

    /** Supervised fine-tuning or direct preference optimisation. */
    public enum Kind {
        SFT, DPO;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind parse(String s) {
            for (Kind k : values()) {
                if (k.code().equals(s.toLowerCase(Locale.ROOT))) {
                    return k;
                }
            }
            throw new IllegalArgumentException("training kind '" + s + "' is not sft or dpo");
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("model", "adapter_init", "output_dir", "train_dataset",
            "learning_rate", "num_train_epochs", "max_steps", "per_device_train_batch_size",
            "gradient_accumulation_steps", "warmup_ratio", "warmup_steps", "lr_scheduler_type", "weight_decay",
            "adam_beta1", "adam_beta2", "adam_epsilon", "max_grad_norm", "max_length", "truncation_mode",
            "max_prompt_length", "beta",
            "loss_type", "seed",
            "save_steps", "logging_steps", "lora", "heap", "assistant_only_loss", "device", "torch_dtype");
    private static final Set<String> LORA_FIELDS = Set.of("r", "lora_alpha", "lora_dropout", "target_modules",
            "use_rslora");

    /** Reads {@code file}; every problem names the file and the field. */
    public static TrainConfig load(Path file, Kind kind) {
        JsonNode c;
        try {
            c = MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new EngineException(file + ": cannot read the training config: " + e.getMessage(), e);
        }
        return fromJson(file, c, kind);
    }

    /**
     * Validates a config given as JSON, as {@link #load} does; {@code file} names it in messages and anchors its
     * relative paths (it need not exist yet). The workbench validates its form this way before writing the file.
     */
    public static TrainConfig fromJson(Path file, JsonNode c, Kind kind) {
        if (c == null || !c.isObject()) {
            throw new EngineException(file + ": a training config is a JSON object");
        }
        Reader r = new Reader(file, c);
        for (Iterator<String> it = c.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new EngineException(file + ": unknown field '" + f + "' (known: " + new java.util.TreeSet<>(FIELDS)
                        + ")");
            }
        }
        if (!c.path("loss_type").asText("sigmoid").equals("sigmoid")) {
            throw new EngineException(file + ": field 'loss_type': only \"sigmoid\" is supported");
        }
        if (!c.path("assistant_only_loss").asBoolean(true)) {
            throw new EngineException(file + ": field 'assistant_only_loss': only true is supported (the loss is on "
                    + "assistant tokens)");
        }
        Path dir = file.toAbsolutePath().getParent();
        LoraConfig lora = loraConfig(file, c.path("lora"), r.path("model", dir, true));
        try {
            return new TrainConfig(kind, r.path("model", dir, true), r.path("adapter_init", dir, false),
                    r.path("output_dir", dir, true), r.path("train_dataset", dir, true),
                    r.num("learning_rate", kind == Kind.SFT ? 2e-5 : 1e-6, 0, 1),
                    r.num("num_train_epochs", 3.0, 0, 1e6), r.integer("max_steps", -1, -1),
                    r.integer("per_device_train_batch_size", 8, 1), r.integer("gradient_accumulation_steps", 1, 1),
                    r.num("warmup_ratio", 0.0, 0, 1), r.integer("warmup_steps", 0, 0),
                    r.text("lr_scheduler_type", "linear", List.of("linear", "constant", "constant_with_warmup")),
                    r.num("weight_decay", 0.0, 0, 1), r.num("adam_beta1", 0.9, 0, 0.999999),
                    r.num("adam_beta2", 0.999, 0, 0.999999999), r.num("adam_epsilon", 1e-8, 0, 1),
                    r.num("max_grad_norm", 1.0, 0, 1e9), r.integer("max_length", 4096, 2),
                    r.text("truncation_mode", TrainData.KEEP_START, List.of(TrainData.KEEP_START,
                            TrainData.KEEP_END)), r.integer("max_prompt_length", 0, 0),
                    r.num("beta", 0.1, 1e-9, 1e6), r.integer("seed", 42, Integer.MIN_VALUE),
                    r.integer("save_steps", 500, 1), r.integer("logging_steps", 10, 1), lora,
                    r.text("heap", "4g", null), device(r.text("device", Compute.AUTO, null)),
                    torchDtype(r.text("torch_dtype", Compute.AUTO, null)));
        } catch (IllegalArgumentException e) {
            throw new EngineException(file + ": " + e.getMessage(), e);
        }
    }

    /** The device option checked for form (auto, cpu, cuda, cuda:N) and normalised; no GPU is looked for yet. */
    private static String device(String d) {
        try {
            return Compute.normaliseDevice(d);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field 'device': " + e.getMessage(), e);
        }
    }

    /** The dtype option checked (auto, float32, float16) and written as Hugging Face writes it. */
    private static String torchDtype(String t) {
        try {
            DType d = Compute.parseDtype(t);
            return d == null ? Compute.AUTO : Compute.torchDtype(d);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field 'torch_dtype': " + e.getMessage(), e);
        }
    }

    /**
     * The same settings computing on {@code device} in {@code torchDtype} (null keeps the config's value): what a
     * command-line override runs with, and what the run journal records.
     */
    public TrainConfig withCompute(String device, String torchDtype) {
        return new TrainConfig(kind, model, adapterInit, outputDir, trainDataset, learningRate, numTrainEpochs,
                maxSteps, batchSize, gradientAccumulationSteps, warmupRatio, warmupSteps, lrSchedulerType, weightDecay,
                adamBeta1, adamBeta2, adamEpsilon, maxGradNorm, maxLength, truncationMode, maxPromptLength, beta, seed,
                saveSteps, loggingSteps, lora, heap, device == null ? this.device : device(device),
                torchDtype == null ? this.torchDtype : torchDtype(torchDtype));
    }

    /**
     * Where and in what precision this run computes, resolved on this machine.
     *
     * @throws EngineException when {@code device} asks for a GPU that DJL cannot use here
     */
    public Compute compute() {
        return Compute.resolve(device, torchDtype);
    }

    private static LoraConfig loraConfig(Path file, JsonNode l, Path model) {
        if (!l.isMissingNode() && !l.isObject()) {
            throw new EngineException(file + ": field 'lora' must be an object");
        }
        for (Iterator<String> it = l.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!LORA_FIELDS.contains(f)) {
                throw new EngineException(file + ": unknown field 'lora." + f + "' (known: " + LORA_FIELDS + ")");
            }
        }
        Reader r = new Reader(file, l);
        List<String> targets = new ArrayList<>();
        JsonNode t = l.get("target_modules");
        if (t == null) {
            targets.addAll(List.of("q_proj", "v_proj"));
        } else if (t.isTextual()) {
            targets.add(t.asText());
        } else if (t.isArray()) {
            t.forEach(n -> targets.add(n.asText()));
        } else {
            throw new EngineException(file + ": field 'lora.target_modules' must be a list or \"all-linear\"");
        }
        try {
            return new LoraConfig(r.integer("r", 8, 1), r.num("lora_alpha", 8, 1e-9, 1e9),
                    r.num("lora_dropout", 0.0, 0, 0.999), targets, l.path("use_rslora").asBoolean(false),
                    model.toString());
        } catch (IllegalArgumentException e) {
            throw new EngineException(file + ": lora: " + e.getMessage(), e);
        }
    }

    /** The defaults of {@code kind} (TRL's and PEFT's where they exist) with placeholder paths. */
    public static TrainConfig defaults(Kind kind) {
        var c = MAPPER.createObjectNode().put("model", "model").put("output_dir", "output")
                .put("train_dataset", "train.jsonl");
        return fromJson(Path.of("defaults.json").toAbsolutePath(), c, kind);
    }

    /**
     * The whole config as it runs, defaults filled in, under the file's field names (TRL/PEFT), with absolute paths:
     * what a run journal records as the run's parameters.
     */
    public ObjectNode toJson() {
        ObjectNode c = MAPPER.createObjectNode();
        c.put("kind", kind.code());
        c.put("model", model.toString());
        if (adapterInit != null) {
            c.put("adapter_init", adapterInit.toString());
        }
        c.put("output_dir", outputDir.toString());
        c.put("train_dataset", trainDataset.toString());
        c.put("learning_rate", learningRate);
        c.put("num_train_epochs", numTrainEpochs);
        c.put("max_steps", maxSteps);
        c.put("per_device_train_batch_size", batchSize);
        c.put("gradient_accumulation_steps", gradientAccumulationSteps);
        c.put("warmup_ratio", warmupRatio);
        c.put("warmup_steps", warmupSteps);
        c.put("lr_scheduler_type", lrSchedulerType);
        c.put("weight_decay", weightDecay);
        c.put("adam_beta1", adamBeta1);
        c.put("adam_beta2", adamBeta2);
        c.put("adam_epsilon", adamEpsilon);
        c.put("max_grad_norm", maxGradNorm);
        c.put("max_length", maxLength);
        c.put("truncation_mode", truncationMode);
        c.put("max_prompt_length", maxPromptLength);
        if (kind == Kind.DPO) {
            c.put("beta", beta);
            c.put("loss_type", "sigmoid");
        }
        c.put("seed", seed);
        c.put("save_steps", saveSteps);
        c.put("logging_steps", loggingSteps);
        ObjectNode l = c.putObject("lora");
        l.put("r", lora.r());
        l.put("lora_alpha", lora.loraAlpha());
        l.put("lora_dropout", lora.loraDropout());
        lora.targetModules().forEach(l.putArray("target_modules")::add);
        l.put("use_rslora", lora.useRslora());
        c.put("heap", heap);
        c.put("device", device);
        c.put("torch_dtype", torchDtype);
        return c;
    }

    /** Optimizer steps of the run (HF Trainer: {@code max_steps}, else epochs × steps per epoch). */
    public int totalSteps(int examples) {
        if (maxSteps > 0) {
            return maxSteps;
        }
        return Math.max(1, (int) Math.ceil(numTrainEpochs * stepsPerEpoch(examples)));
    }

    /** Optimizer steps per pass over the data: ⌈n / batch⌉ micro-batches, floor-divided by the accumulation. */
    public int stepsPerEpoch(int examples) {
        int batches = (examples + batchSize - 1) / batchSize;
        return Math.max(1, batches / gradientAccumulationSteps);
    }

    /** Warm-up steps: {@code warmup_steps} when set, else ⌈ratio × total⌉. */
    public int warmup(int totalSteps) {
        return warmupSteps > 0 ? warmupSteps : (int) Math.ceil(warmupRatio * totalSteps);
    }

    private record Reader(Path file, JsonNode c) {
        double num(String f, double def, double min, double max) {
            JsonNode n = c.get(f);
            if (n == null || n.isNull()) {
                return def;
            }
            if (!n.isNumber() || n.asDouble() < min || n.asDouble() > max) {
                throw new EngineException(file + ": field '" + f + "' must be a number in [" + min + ", " + max
                        + "], not " + n);
            }
            return n.asDouble();
        }

        int integer(String f, int def, int min) {
            JsonNode n = c.get(f);
            if (n == null || n.isNull()) {
                return def;
            }
            if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < min) {
                throw new EngineException(file + ": field '" + f + "' must be a whole number ≥ " + min + ", not " + n);
            }
            return n.asInt();
        }

        String text(String f, String def, List<String> allowed) {
            JsonNode n = c.get(f);
            if (n == null || n.isNull()) {
                return def;
            }
            if (!n.isTextual() || (allowed != null && !allowed.contains(n.asText()))) {
                throw new EngineException(file + ": field '" + f + "' must be " + (allowed == null ? "a string"
                        : "one of " + allowed) + ", not " + n);
            }
            return n.asText();
        }

        Path path(String f, Path dir, boolean required) {
            JsonNode n = c.get(f);
            if (n == null || n.isNull()) {
                if (required) {
                    throw new EngineException(file + ": field '" + f + "' is required");
                }
                return null;
            }
            if (!n.isTextual() || n.asText().isBlank()) {
                throw new EngineException(file + ": field '" + f + "' must be a path");
            }
            return dir.resolve(n.asText()).normalize();
        }
    }
}
