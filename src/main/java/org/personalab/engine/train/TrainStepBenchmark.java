package org.personalab.engine.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.personalab.engine.Compute;
import org.personalab.engine.DecodeBenchmark;
import org.personalab.engine.DecoderModel;
import org.personalab.engine.DjlRuntime;
import org.personalab.engine.LoraAdapter;

/**
 * Times LoRA SFT optimizer steps through the trainer's own step ({@link Trainer#step}: forward, loss, backward,
 * gradient unscaling and clipping, AdamW, adapter update) on one sequence of random tokens, batch 1, every position
 * trained, with a fresh adapter (B = 0, so the first step's loss is the base model's and can be checked against
 * another engine on the same weights). One untimed warm-up step, then {@code repeat} timed steps.
 *
 * <p>Memory: on the CPU the process's peak resident set during the steps (JVM and libtorch together; the kernel's
 * high-water mark is reset after loading where Linux allows it) and the Java heap in use; on CUDA the device memory in
 * use after the steps as the driver reports it (PyTorch's caching allocator keeps what the peak needed, so this is
 * close to the peak it reserved; DJL has no {@code max_memory_allocated}).
 */
public final class TrainStepBenchmark {

    /** LoRA targets of the benchmark: every linear projection of a Qwen2 layer. */
    public static final List<String> TARGETS = List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj",
            "down_proj");

    /**
     * Timings (seconds) and medians, the loss of the warm-up step (before any update) and of the last, memory in MiB
     * (-1 where not measurable), whether the peak was measured from after loading, and the step count skipped for
     * float16 overflow.
     */
    public record Result(String device, String torchDtype, int sequenceLength, int rank, long trainableParameters,
            double loadSeconds, double[] stepSeconds, double tokensPerSecond, double firstLoss, double lastLoss,
            double residentAfterLoadMb, double peakResidentMb, boolean peakSinceLoad, double heapMb,
            double gpuUsedMb, int skippedSteps, int intraOpThreads) {
    }

    private TrainStepBenchmark() {
    }

    /** The benchmark's sequence: {@code n} tokens drawn uniformly from the vocabulary with {@code seed}. */
    public static int[] sequence(int vocab, int n, long seed) {
        return DecodeBenchmark.prompt(vocab, n, seed ^ 0x5eed);
    }

    /**
     * Loads {@code modelDir} on {@code compute}, puts a fresh rank-{@code rank} adapter on all seven projections, and
     * times {@code repeat} optimizer steps on {@code tokens} after one warm-up step.
     */
    public static Result run(Path modelDir, Compute compute, int[] tokens, int rank, int repeat, int threads,
            long seed) {
        if (tokens.length < 2 || rank < 1 || repeat < 1) {
            throw new IllegalArgumentException("need at least 2 tokens, rank 1 and one repeat");
        }
        DjlRuntime.setThreads(threads);
        TrainConfig config = config(modelDir, compute, tokens.length, rank, repeat + 1, seed);
        Sequence seq = new Sequence(tokens, tokens.clone());
        TrainData.Truncation none = new TrainData.Truncation(1, 0, 0, tokens.length, 0, tokens.length,
                TrainData.KEEP_START, 0, 0);
        long l0 = System.nanoTime();
        DecoderModel model = DecoderModel.load(modelDir, compute);
        try (SftTrainer trainer = new SftTrainer(config, model,
                LoraAdapter.create(model, config.lora(), config.seed()), List.of(seq), none)) {
            double load = (System.nanoTime() - l0) / 1e9;
            double afterLoad = Trainer.residentMb();
            boolean reset = resetPeak();
            Trainer.Step warm = trainer.step(0);
            double[] seconds = new double[repeat];
            Trainer.Step last = warm;
            for (int i = 0; i < repeat; i++) {
                long t0 = System.nanoTime();
                last = trainer.step(i + 1);
                seconds[i] = (System.nanoTime() - t0) / 1e9;
            }
            long trainable = 0;
            for (var m : trainer.adapter.modules().values()) {
                trainable += m.a().getShape().size() + m.b().getShape().size();
            }
            double heap = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1048576.0;
            return new Result(compute.device(), compute.torchDtype(), tokens.length, rank, trainable, load, seconds,
                    tokens.length / DecodeBenchmark.median(seconds), warm.loss(), last.loss(), afterLoad,
                    peakResidentMb(), reset, heap, compute.isCuda() ? gpuUsedMb(compute) : -1,
                    trainer.skippedSteps(), DjlRuntime.threads());
        }
    }

    /** The run's settings as a training config would hold them (learning rate 1e-4, constant, r and alpha 2r). */
    static TrainConfig config(Path modelDir, Compute compute, int length, int rank, int steps, long seed) {
        ObjectNode c = EventLog.MAPPER.createObjectNode();
        c.put("model", modelDir.toAbsolutePath().toString());
        c.put("output_dir", modelDir.toAbsolutePath().resolve("unused-train-step-output").toString());
        c.put("train_dataset", "in-memory.jsonl");
        c.put("learning_rate", 1e-4);
        c.put("lr_scheduler_type", "constant");
        c.put("max_steps", steps);
        c.put("per_device_train_batch_size", 1);
        c.put("max_length", Math.max(2, length));
        c.put("seed", (int) seed);
        c.put("device", compute.device());
        c.put("torch_dtype", compute.torchDtype());
        ObjectNode l = c.putObject("lora");
        l.put("r", rank);
        l.put("lora_alpha", 2 * rank);
        TARGETS.forEach(l.putArray("target_modules")::add);
        return TrainConfig.fromJson(modelDir.toAbsolutePath().resolve("train-step.json"), c, TrainConfig.Kind.SFT);
    }

    /** Resets the kernel's peak-RSS mark of this process ({@code /proc/self/clear_refs}, value 5); false if refused. */
    static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The process's peak resident set ({@code VmHWM}) in MiB, or -1 where /proc is absent. */
    static double peakResidentMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Device memory in use on the GPU as the driver reports it, in MiB; -1 when DJL cannot tell. */
    static double gpuUsedMb(Compute compute) {
        try {
            int index = Integer.parseInt(compute.device().substring("cuda:".length()));
            return ai.djl.util.cuda.CudaUtils.getGpuMemory(ai.djl.Device.gpu(index)).getUsed() / 1048576.0;
        } catch (RuntimeException | LinkageError e) {
            return -1;
        }
    }
}
