package org.personalab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.personalab.engine.Compute;
import org.personalab.engine.DType;
import org.personalab.engine.DecodeBenchmark;
import org.personalab.engine.DjlRuntime;
import org.personalab.engine.RandomModel;
import org.personalab.engine.train.TrainStepBenchmark;
import org.personalab.service.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code personalab bench engine}: prefill and decode speed of the local engine on a random Qwen2.5-0.5B-shaped
 * model, side by side with this machine's memory-bandwidth bound on decode and with PyTorch eager (Debian's
 * python3-torch) running the same architecture on the same weights, threads, prompt and token count. On the device
 * and dtype of {@code --device} / {@code --dtype} (auto: CUDA float16 where DJL sees a GPU, else CPU float32). With
 * {@code --train-step}, also one LoRA SFT optimizer step ({@link TrainStepBenchmark}) side by side with the same step
 * in PyTorch eager.
 */
@Command(name = "engine", description = "Prefill and decode tokens/s of the local engine (KV cache, greedy) on a "
        + "random Qwen2.5-0.5B-shaped model, against this machine's memory bandwidth (decode reads every weight once "
        + "per token; CPU only) and against PyTorch eager on the same weights; with --train-step also one LoRA SFT "
        + "training step (tokens/s, peak memory).")
final class EngineBench implements Callable<Integer> {

    @Option(names = "--device", defaultValue = "auto", description = "auto (the first GPU DJL sees, else the CPU), "
            + "cpu, cuda or cuda:N (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--dtype", defaultValue = "auto", description = "auto (float16 on a GPU, float32 on the CPU), "
            + "float32 or float16 (default ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--train-step", description = "Also time LoRA SFT training steps (forward, backward, AdamW; "
            + "batch 1, r 16 on q/k/v/o/gate/up/down). Slow on the CPU for the 0.5B shape.")
    boolean trainStep;

    @Option(names = "--train-seq", defaultValue = "512", description = "Sequence length of the training step "
            + "(default ${DEFAULT-VALUE}).")
    int trainSeq;

    @Option(names = "--train-repeat", defaultValue = "2", description = "Timed training steps after one warm-up "
            + "(default ${DEFAULT-VALUE}).")
    int trainRepeat;

    @Option(names = "--lora-r", defaultValue = "16", description = "LoRA rank of the training step (default "
            + "${DEFAULT-VALUE}).")
    int loraR;

    @Spec
    CommandSpec spec;

    @Option(names = "--shape", defaultValue = "qwen2.5-0.5b", description = "Model shape: qwen2.5-0.5b (hidden 896, "
            + "24 layers, 14 heads, 2 key/value heads, MLP 4864, vocabulary 151,936, tied) or tiny (default "
            + "${DEFAULT-VALUE}).")
    String shape;

    @Option(names = "--layers", description = "Keep only this many layers of the shape (a quicker run).")
    Integer layers;

    @Option(names = "--prompt-tokens", defaultValue = "128", description = "Prompt length (default ${DEFAULT-VALUE}).")
    int promptTokens;

    @Option(names = "--decode-tokens", defaultValue = "32", description = "Tokens decoded after the first "
            + "(default ${DEFAULT-VALUE}).")
    int decodeTokens;

    @Option(names = "--repeat", defaultValue = "3", description = "Timed runs after one warm-up; medians are "
            + "compared (default ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--threads", description = "Intra-op threads of both engines and of the bandwidth test "
            + "(default: all cores).")
    Integer threads;

    @Option(names = "--cache", description = "Folder for the random model (reused when it is already there; default "
            + "~/.cache/personalab/bench-models).")
    Path cache;

    @Option(names = "--bandwidth-mb", defaultValue = "256", description = "MiB per array of the bandwidth test "
            + "(three arrays; default ${DEFAULT-VALUE}, far above any cache).")
    int bandwidthMb;

    @Option(names = "--python", description = "Python with torch and numpy (default: Debian's /usr/bin/python3 when "
            + "present, else python3 on the PATH).")
    String python;

    @Option(names = "--no-torch", description = "Skip the PyTorch reference.")
    boolean noTorch;

    @Option(names = "--json", description = "Also write the results to this JSON file.")
    Path json;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the weights and the prompt (default "
            + "${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RandomModel.Shape s;
        try {
            s = RandomModel.Shape.named(shape);
            if (layers != null) {
                if (layers < 1) {
                    throw new IllegalArgumentException("--layers must be at least 1, not " + layers);
                }
                s = s.withLayers(layers);
            }
            if (promptTokens < 1 || decodeTokens < 1 || repeat < 1 || bandwidthMb < 1
                    || (threads != null && threads < 1) || trainRepeat < 1 || loraR < 1) {
                throw new IllegalArgumentException("--prompt-tokens, --decode-tokens, --repeat, --threads, "
                        + "--bandwidth-mb, --train-repeat and --lora-r must be at least 1");
            }
            if (trainSeq < 2) {
                throw new IllegalArgumentException("--train-seq must be at least 2, not " + trainSeq);
            }
            Compute.normaliseDevice(device);
            Compute.parseDtype(dtype);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        Compute compute = Compute.resolve(device, dtype);
        int computeBytes = compute.dtype().bytes();
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        Path dir = cache != null ? cache
                : Path.of(System.getProperty("user.home"), ".cache", "personalab", "bench-models");

        long t0 = System.nanoTime();
        Path model = RandomModel.writeOrReuse(dir, s, DType.BF16, seed);
        long bytesPerToken = s.elementsReadPerToken() * computeBytes;
        out.printf(Locale.ROOT, "Model: %s, %,d parameters (hidden %d, %d layers, %d heads, %d key/value heads, MLP "
                + "%d, vocabulary %,d, %s), random bf16 weights in %s (ready in %.1f s); both engines compute on %s "
                + "in %s%n", s.name(), s.parameters(), s.hidden(), s.layers(), s.heads(), s.kvHeads(),
                s.intermediate(), s.vocab(), s.tied() ? "tied embeddings" : "separate head", model,
                (System.nanoTime() - t0) / 1e9, compute.device(), compute.torchDtype());
        out.printf(Locale.ROOT, "Machine: %d cores, Java %s; %d threads; prompt %d tokens, %d decoded tokens, "
                + "median of %d runs after a warm-up%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), n, promptTokens, decodeTokens, repeat);

        // the host-memory test bounds CPU decoding only; a GPU reads its weights from its own memory
        Bandwidth bw = compute.isCuda() ? null : Bandwidth.measure((long) bandwidthMb << 20, n, 5);
        double boundTokS = bw == null ? Double.NaN : bw.best() * 1e9 / bytesPerToken;
        if (bw != null) {
            out.printf(Locale.ROOT, "Memory bandwidth (%d threads, 3 × %d MiB arrays, best of 5): read %.1f GB/s, "
                    + "triad %.1f GB/s%n", n, bandwidthMb, bw.readGbs(), bw.triadGbs());
            out.printf(Locale.ROOT, "Decode bound: %.1f GB/s / %.1f MB of %s weights read per token (all layers, "
                    + "norms, the full output head, one embedding row) = %.2f tokens/s%n", bw.best(),
                    bytesPerToken / 1e6, compute.torchDtype(), boundTokS);
        } else {
            out.println("Memory bandwidth: not measured on " + compute.device() + " (the test reads host memory)");
        }

        int[] prompt = DecodeBenchmark.prompt(s.vocab(), promptTokens, seed);
        DecodeBenchmark.Result pl = DecodeBenchmark.run(model, prompt, decodeTokens, repeat, n, compute);
        Map<String, String> openMp = DjlRuntime.openMpEnvironment();
        out.printf(Locale.ROOT, "PersonaLab (DJL PyTorch engine, %d intra-op / %d inter-op threads, OpenMP %s): "
                + "loaded in %.1f s; prefill runs %s s, decode runs %s s%n", pl.intraOpThreads(),
                pl.interOpThreads(), openMp.isEmpty() ? "defaults" : openMp, pl.loadSeconds(),
                secs(pl.prefillSeconds()), secs(pl.decodeSeconds()));

        JsonNode torch = null;
        String torchSkipped = null;
        if (noTorch) {
            torchSkipped = "--no-torch";
        } else {
            String py = python != null ? python : BenchCommand.ImportBench.defaultPython();
            try {
                torch = runTorch(py, model, prompt, n, openMp, compute);
            } catch (TorchUnavailable e) {
                torchSkipped = e.getMessage();
            }
        }
        if (torch != null) {
            out.printf(Locale.ROOT, "PyTorch eager %s (%d intra-op / %d inter-op threads, OpenMP %s): loaded in "
                    + "%.1f s; prefill runs %s s, decode runs %s s%n", torch.path("torch").asText(),
                    torch.path("intra_op_threads").asInt(), torch.path("inter_op_threads").asInt(),
                    openMp.isEmpty() ? "defaults" : openMp,
                    torch.path("load_s").asDouble(), secs(doubles(torch.path("prefill_s"))),
                    secs(doubles(torch.path("decode_s"))));
        } else {
            out.println("PyTorch eager: skipped (" + torchSkipped + ")");
        }

        double tPrefill = torch == null ? Double.NaN : torch.path("prefill_tok_s").asDouble();
        double tDecode = torch == null ? Double.NaN : torch.path("decode_tok_s").asDouble();
        out.println();
        out.printf(Locale.ROOT, "%-28s %12s %14s %16s %14s%n", "tokens/s", "PersonaLab", "PyTorch eager",
                "PersonaLab/torch", "of bound");
        out.printf(Locale.ROOT, "%-28s %12.2f %14s %16s %14s%n", "prefill (" + promptTokens + "-token prompt)",
                pl.prefillTokensPerSecond(), num(tPrefill), ratio(pl.prefillTokensPerSecond(), tPrefill), "-");
        out.printf(Locale.ROOT, "%-28s %12.2f %14s %16s %14s%n", "decode (KV cache, greedy)",
                pl.decodeTokensPerSecond(), num(tDecode), ratio(pl.decodeTokensPerSecond(), tDecode),
                bw == null ? "-" : pct(pl.decodeTokensPerSecond() / boundTokS) + (torch == null ? ""
                        : " / " + pct(tDecode / boundTokS)));
        if (bw != null) {
            out.printf(Locale.ROOT, "%-28s %12.2f%n", "decode bound (bandwidth)", boundTokS);
        }
        Boolean sameTokens = null;
        if (torch != null) {
            int[] tt = ints(torch.path("tokens"));
            int agree = 0;
            while (agree < Math.min(tt.length, pl.tokens().length) && tt[agree] == pl.tokens()[agree]) {
                agree++;
            }
            sameTokens = agree == pl.tokens().length && tt.length == pl.tokens().length;
            out.printf(Locale.ROOT, "Greedy tokens: the first %d of %d agree with PyTorch's (same weights; fp32 "
                    + "rounding may flip a near tie)%n", agree, pl.tokens().length);
        }

        TrainStepBenchmark.Result ts = null;
        JsonNode torchTrain = null;
        String torchTrainSkipped = null;
        if (trainStep) {
            int[] tokens = TrainStepBenchmark.sequence(s.vocab(), trainSeq, seed);
            ts = TrainStepBenchmark.run(model, compute, tokens, loraR, trainRepeat, n, seed);
            out.println();
            out.printf(Locale.ROOT, "Training step (LoRA SFT, batch 1, %d tokens, r %d on q/k/v/o/gate/up/down = "
                    + "%,d trainable parameters, AdamW; %s, %s; %d threads): loaded in %.1f s; step runs %s s%s%n",
                    ts.sequenceLength(), ts.rank(), ts.trainableParameters(), ts.device(), ts.torchDtype(),
                    ts.intraOpThreads(), ts.loadSeconds(), secs(ts.stepSeconds()), ts.skippedSteps() == 0 ? ""
                            : " (" + ts.skippedSteps() + " skipped: float16 overflow)");
            if (noTorch) {
                torchTrainSkipped = "--no-torch";
            } else if (torchSkipped != null && torch == null) {
                torchTrainSkipped = torchSkipped;
            } else {
                String py = python != null ? python : BenchCommand.ImportBench.defaultPython();
                try {
                    torchTrain = runTorchTrain(py, model, tokens, n, openMp, compute);
                } catch (TorchUnavailable e) {
                    torchTrainSkipped = e.getMessage();
                }
            }
            double tt = torchTrain == null ? Double.NaN : torchTrain.path("tokens_per_s").asDouble();
            out.printf(Locale.ROOT, "%-28s %12s %14s %16s%n", "training step", "PersonaLab", "PyTorch eager",
                    "PersonaLab/torch");
            out.printf(Locale.ROOT, "%-28s %12.1f %14s %16s%n", "tokens/s", ts.tokensPerSecond(), num(tt),
                    ratio(ts.tokensPerSecond(), tt));
            out.printf(Locale.ROOT, "%-28s %12.4f %14s%n", "loss before the update", ts.firstLoss(),
                    torchTrain == null ? "-" : String.format(Locale.ROOT, "%.4f",
                            torchTrain.path("first_loss").asDouble()));
            if (compute.isCuda()) {
                out.printf(Locale.ROOT, "%-28s %12s %14s%n", "GPU memory (MiB)", mib(ts.gpuUsedMb()) + " used",
                        torchTrain == null ? "-" : mib(torchTrain.path("cuda_max_allocated_mb").asDouble())
                                + " peak");
            } else {
                out.printf(Locale.ROOT, "%-28s %12s %14s%n", "peak RSS (MiB)", mib(ts.peakResidentMb()),
                        torchTrain == null ? "-" : mib(torchTrain.path("peak_rss_mb").asDouble()));
            }
            out.printf(Locale.ROOT, "Memory: PersonaLab %s; JVM heap in use %.0f MiB, resident after loading %.0f "
                    + "MiB. PyTorch's peak is its whole process (loading included)%n", compute.isCuda()
                            ? "GPU memory in use after the steps as the driver reports it (PyTorch's cache "
                                    + "included; DJL has no peak counter)"
                            : "peak resident set (JVM + libtorch) " + (ts.peakSinceLoad() ? "during the steps"
                                    : "since the start (the peak could not be reset after loading)"),
                    ts.heapMb(), ts.residentAfterLoadMb());
            if (torchTrain == null) {
                out.println("PyTorch eager training step: skipped (" + torchTrainSkipped + ")");
            }
        }

        if (json != null) {
            Map<String, Object> j = new LinkedHashMap<>();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("shape", s.name());
            m.put("hidden", s.hidden());
            m.put("layers", s.layers());
            m.put("heads", s.heads());
            m.put("kv_heads", s.kvHeads());
            m.put("intermediate", s.intermediate());
            m.put("vocab", s.vocab());
            m.put("tied", s.tied());
            m.put("parameters", s.parameters());
            m.put("checkpoint_dtype", "bf16");
            m.put("compute_dtype", compute.torchDtype());
            m.put("device", compute.device());
            m.put("dir", model.toString());
            j.put("model", m);
            j.put("cores", Runtime.getRuntime().availableProcessors());
            j.put("threads", n);
            j.put("prompt_tokens", promptTokens);
            j.put("decode_tokens", decodeTokens);
            j.put("repeat", repeat);
            Map<String, Object> b = new LinkedHashMap<>();
            if (bw != null) {
                b.put("read_gbs", bw.readGbs());
                b.put("triad_gbs", bw.triadGbs());
                b.put("array_mib", bandwidthMb);
                b.put("bytes_per_token", bytesPerToken);
                b.put("decode_bound_tok_s", boundTokS);
            } else {
                b.put("skipped", "host-memory test; the model is on " + compute.device());
            }
            j.put("bandwidth", b);
            Map<String, Object> p = new LinkedHashMap<>();
            j.put("openmp_environment", openMp);
            p.put("intra_op_threads", pl.intraOpThreads());
            p.put("inter_op_threads", pl.interOpThreads());
            p.put("load_s", pl.loadSeconds());
            p.put("prefill_s", pl.prefillSeconds());
            p.put("decode_s", pl.decodeSeconds());
            p.put("prefill_tok_s", pl.prefillTokensPerSecond());
            p.put("decode_tok_s", pl.decodeTokensPerSecond());
            if (bw != null) {
                p.put("decode_fraction_of_bound", pl.decodeTokensPerSecond() / boundTokS);
            }
            p.put("tokens", pl.tokens());
            j.put("personalab", p);
            if (torch != null) {
                j.put("pytorch", torch);
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("prefill", pl.prefillTokensPerSecond() / tPrefill);
                r.put("decode", pl.decodeTokensPerSecond() / tDecode);
                if (bw != null) {
                    r.put("pytorch_decode_fraction_of_bound", tDecode / boundTokS);
                }
                r.put("same_greedy_tokens", sameTokens);
                j.put("personalab_over_pytorch", r);
            } else {
                j.put("pytorch", Map.of("skipped", torchSkipped));
            }
            if (ts != null) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("device", ts.device());
                t.put("torch_dtype", ts.torchDtype());
                t.put("sequence_length", ts.sequenceLength());
                t.put("batch", 1);
                t.put("lora_r", ts.rank());
                t.put("lora_alpha", 2 * ts.rank());
                t.put("target_modules", TrainStepBenchmark.TARGETS);
                t.put("trainable_parameters", ts.trainableParameters());
                t.put("intra_op_threads", ts.intraOpThreads());
                t.put("load_s", ts.loadSeconds());
                t.put("step_s", ts.stepSeconds());
                t.put("tokens_per_s", ts.tokensPerSecond());
                t.put("first_loss", ts.firstLoss());
                t.put("last_loss", ts.lastLoss());
                t.put("skipped_steps", ts.skippedSteps());
                t.put("heap_mb", ts.heapMb());
                t.put("resident_after_load_mb", ts.residentAfterLoadMb());
                if (compute.isCuda()) {
                    t.put("gpu_used_mb", ts.gpuUsedMb());
                } else {
                    t.put("peak_resident_mb", ts.peakResidentMb());
                    t.put("peak_since_load", ts.peakSinceLoad());
                }
                Map<String, Object> train = new LinkedHashMap<>();
                train.put("personalab", t);
                if (torchTrain != null) {
                    train.put("pytorch", torchTrain);
                    train.put("personalab_over_pytorch", ts.tokensPerSecond()
                            / torchTrain.path("tokens_per_s").asDouble());
                } else {
                    train.put("pytorch", Map.of("skipped", torchTrainSkipped));
                }
                j.put("train_step", train);
            }
            Path target = json.toAbsolutePath();
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            try {
                Json.MAPPER.writeValue(tmp.toFile(), j);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            out.println("Wrote " + target);
        }
        return 0;
    }

    /** The PyTorch side could not run; the message says why, for the "skipped" line. */
    static final class TorchUnavailable extends Exception {
        TorchUnavailable(String message) {
            super(message);
        }
    }

    private JsonNode runTorch(String py, Path model, int[] prompt, int n, Map<String, String> openMp,
            Compute compute) throws Exception {
        Path work = Files.createTempDirectory("personalab-engine-bench");
        try {
            Proc check;
            try {
                check = exec(List.of(py, "-c", "import torch, numpy"), work, openMp);
            } catch (java.io.IOException e) {
                throw new TorchUnavailable("cannot run " + py + ": " + e.getMessage());
            }
            if (check.code() != 0) {
                throw new TorchUnavailable(py + " cannot import torch and numpy (install Debian's python3-torch): "
                        + lastLine(check.output()));
            }
            Path script = work.resolve("torch_decode.py");
            try (InputStream in = EngineBench.class.getResourceAsStream("torch_decode.py")) {
                Files.write(script, in.readAllBytes());
            }
            Path promptFile = work.resolve("prompt.json");
            Files.writeString(promptFile, Arrays.toString(prompt));
            List<String> cmd = List.of(py, script.toString(), model.toString(), promptFile.toString(),
                    Integer.toString(decodeTokens), Integer.toString(repeat), Integer.toString(n), compute.device(),
                    compute.torchDtype());
            Proc r = exec(cmd, work, openMp);
            String line = r.output().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
            if (r.code() != 0 || line == null) {
                throw new TorchUnavailable("the PyTorch script failed (exit " + r.code() + "): "
                        + lastLine(r.output()));
            }
            return Json.MAPPER.readTree(line);
        } finally {
            BenchCommand.ImportBench.deleteTree(work);
        }
    }

    /** The same training step in PyTorch eager (torch_train_step.py beside torch_decode.py). */
    private JsonNode runTorchTrain(String py, Path model, int[] tokens, int n, Map<String, String> openMp,
            Compute compute) throws Exception {
        Path work = Files.createTempDirectory("personalab-train-bench");
        try {
            for (String name : List.of("torch_decode.py", "torch_train_step.py")) {
                try (InputStream in = EngineBench.class.getResourceAsStream(name)) {
                    Files.write(work.resolve(name), in.readAllBytes());
                }
            }
            Path tokenFile = work.resolve("tokens.json");
            Files.writeString(tokenFile, Arrays.toString(tokens));
            List<String> cmd = List.of(py, work.resolve("torch_train_step.py").toString(), model.toString(),
                    tokenFile.toString(), Integer.toString(trainRepeat), Integer.toString(n), compute.device(),
                    compute.torchDtype(), Integer.toString(loraR));
            Proc r;
            try {
                r = exec(cmd, work, openMp);
            } catch (java.io.IOException e) {
                throw new TorchUnavailable("cannot run " + py + ": " + e.getMessage());
            }
            String line = r.output().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
            if (r.code() != 0 || line == null) {
                throw new TorchUnavailable("the PyTorch training script failed (exit " + r.code() + "): "
                        + lastLine(r.output()));
            }
            return Json.MAPPER.readTree(line);
        } finally {
            BenchCommand.ImportBench.deleteTree(work);
        }
    }

    private static String mib(double v) {
        return v < 0 || Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f", v);
    }

    record Proc(int code, String output) {
    }

    /**
     * Runs {@code cmd} with the OpenMP wait settings the engine runs under and the same thread count (so both
     * engines wait the same way), stdout and stderr together.
     */
    private static Proc exec(List<String> cmd, Path cwd, Map<String, String> openMp) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().putAll(openMp);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        return new Proc(p.waitFor(), output);
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1].strip();
    }

    private static String secs(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double d : v) {
            sb.append(sb.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", d));
        }
        return sb.toString();
    }

    private static double[] doubles(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asDouble();
        }
        return v;
    }

    private static int[] ints(JsonNode a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asInt();
        }
        return v;
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(b) ? "-" : String.format(Locale.ROOT, "%.2fx", a / b);
    }

    private static String pct(double f) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * f);
    }

    /**
     * Main-memory bandwidth in GB/s (10⁹ bytes): a read (sum of one array) and STREAM's triad
     * ({@code a = b + s·c}, counted as 3 arrays moved), each split over {@code threads} threads in contiguous chunks,
     * best of {@code trials}. The arrays are far larger than any cache, so this is what streaming weights can reach.
     */
    record Bandwidth(double readGbs, double triadGbs) {

        double best() {
            return Math.max(readGbs, triadGbs);
        }

        static Bandwidth measure(long bytesPerArray, int threads, int trials) throws Exception {
            int n = (int) Math.min(Integer.MAX_VALUE - 8, bytesPerArray / Float.BYTES);
            float[] a = new float[n];
            float[] b = new float[n];
            float[] c = new float[n];
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                parallel(pool, threads, n, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        b[i] = 1f;
                        c[i] = 2f;
                    }
                    return 0;
                });
                double read = 0;
                double triad = 0;
                for (int t = 0; t < trials; t++) {
                    long s0 = System.nanoTime();
                    double sum = parallel(pool, threads, n, (from, to) -> sum(b, from, to));
                    double rs = (System.nanoTime() - s0) / 1e9;
                    if (sum != n) {
                        throw new IllegalStateException("bandwidth read test summed " + sum + ", expected " + n);
                    }
                    read = Math.max(read, (double) n * Float.BYTES / rs / 1e9);
                    long t0 = System.nanoTime();
                    parallel(pool, threads, n, (from, to) -> {
                        for (int i = from; i < to; i++) {
                            a[i] = b[i] + 3f * c[i];
                        }
                        return 0;
                    });
                    double ts = (System.nanoTime() - t0) / 1e9;
                    triad = Math.max(triad, 3.0 * n * Float.BYTES / ts / 1e9);
                }
                if (a[n / 2] != 7f) {
                    throw new IllegalStateException("bandwidth triad test computed " + a[n / 2] + ", expected 7");
                }
                return new Bandwidth(read, triad);
            } finally {
                pool.shutdownNow();
            }
        }

        /** Sum with 8 independent accumulators, so the adds keep up with memory. */
        private static double sum(float[] x, int from, int to) {
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            float s4 = 0;
            float s5 = 0;
            float s6 = 0;
            float s7 = 0;
            double total = 0;
            int i = from;
            // flush to double every 2^20 elements so the float partial sums of ones stay exact
            while (i < to) {
                int end = (int) Math.min(to, i + (1L << 20));
                for (; i + 8 <= end; i += 8) {
                    s0 += x[i];
                    s1 += x[i + 1];
                    s2 += x[i + 2];
                    s3 += x[i + 3];
                    s4 += x[i + 4];
                    s5 += x[i + 5];
                    s6 += x[i + 6];
                    s7 += x[i + 7];
                }
                for (; i < end; i++) {
                    s0 += x[i];
                }
                total += (double) s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
                s0 = s1 = s2 = s3 = s4 = s5 = s6 = s7 = 0;
            }
            return total;
        }

        @FunctionalInterface
        interface Chunk {
            double run(int from, int to);
        }

        private static double parallel(ExecutorService pool, int threads, int n, Chunk chunk) throws Exception {
            List<Future<Double>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int from = (int) ((long) n * t / threads);
                int to = (int) ((long) n * (t + 1) / threads);
                fs.add(pool.submit(() -> chunk.run(from, to)));
            }
            double total = 0;
            for (Future<Double> f : fs) {
                total += f.get();
            }
            return total;
        }
    }
}
