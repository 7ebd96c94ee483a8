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
import org.personalab.engine.DType;
import org.personalab.engine.DecodeBenchmark;
import org.personalab.engine.DjlRuntime;
import org.personalab.engine.RandomModel;
import org.personalab.service.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code personalab bench engine}: prefill and decode speed of the local engine on a random Qwen2.5-0.5B-shaped
 * model, side by side with this machine's memory-bandwidth bound on decode and with PyTorch eager (Debian's
 * python3-torch) running the same architecture on the same weights, threads, prompt and token count.
 */
@Command(name = "engine", description = "Prefill and decode tokens/s of the local engine (fp32, CPU, KV cache, "
        + "greedy) on a random Qwen2.5-0.5B-shaped model, against this machine's memory bandwidth (decode reads every "
        + "weight once per token) and against PyTorch eager on the same weights.")
final class EngineBench implements Callable<Integer> {

    /** Bytes per weight element as both engines compute (float32; the checkpoint on disk is bf16). */
    static final int COMPUTE_BYTES = 4;

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
                    || (threads != null && threads < 1)) {
                throw new IllegalArgumentException("--prompt-tokens, --decode-tokens, --repeat, --threads and "
                        + "--bandwidth-mb must be at least 1");
            }
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        Path dir = cache != null ? cache
                : Path.of(System.getProperty("user.home"), ".cache", "personalab", "bench-models");

        long t0 = System.nanoTime();
        Path model = RandomModel.writeOrReuse(dir, s, DType.BF16, seed);
        long bytesPerToken = s.elementsReadPerToken() * COMPUTE_BYTES;
        out.printf(Locale.ROOT, "Model: %s, %,d parameters (hidden %d, %d layers, %d heads, %d key/value heads, MLP "
                + "%d, vocabulary %,d, %s), random bf16 weights in %s (ready in %.1f s); both engines compute in "
                + "float32%n", s.name(), s.parameters(), s.hidden(), s.layers(), s.heads(), s.kvHeads(),
                s.intermediate(), s.vocab(), s.tied() ? "tied embeddings" : "separate head", model,
                (System.nanoTime() - t0) / 1e9);
        out.printf(Locale.ROOT, "Machine: %d cores, Java %s; %d threads; prompt %d tokens, %d decoded tokens, "
                + "median of %d runs after a warm-up%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), n, promptTokens, decodeTokens, repeat);

        Bandwidth bw = Bandwidth.measure((long) bandwidthMb << 20, n, 5);
        double boundTokS = bw.best() * 1e9 / bytesPerToken;
        out.printf(Locale.ROOT, "Memory bandwidth (%d threads, 3 × %d MiB arrays, best of 5): read %.1f GB/s, "
                + "triad %.1f GB/s%n", n, bandwidthMb, bw.readGbs(), bw.triadGbs());
        out.printf(Locale.ROOT, "Decode bound: %.1f GB/s / %.1f MB of float32 weights read per token (all layers, "
                + "norms, the full output head, one embedding row) = %.2f tokens/s%n", bw.best(),
                bytesPerToken / 1e6, boundTokS);

        int[] prompt = DecodeBenchmark.prompt(s.vocab(), promptTokens, seed);
        DecodeBenchmark.Result pl = DecodeBenchmark.run(model, prompt, decodeTokens, repeat, n);
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
                torch = runTorch(py, model, prompt, n, openMp);
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
                pct(pl.decodeTokensPerSecond() / boundTokS) + (torch == null ? ""
                        : " / " + pct(tDecode / boundTokS)));
        out.printf(Locale.ROOT, "%-28s %12.2f%n", "decode bound (bandwidth)", boundTokS);
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
            m.put("compute_dtype", "float32");
            m.put("dir", model.toString());
            j.put("model", m);
            j.put("cores", Runtime.getRuntime().availableProcessors());
            j.put("threads", n);
            j.put("prompt_tokens", promptTokens);
            j.put("decode_tokens", decodeTokens);
            j.put("repeat", repeat);
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("read_gbs", bw.readGbs());
            b.put("triad_gbs", bw.triadGbs());
            b.put("array_mib", bandwidthMb);
            b.put("bytes_per_token", bytesPerToken);
            b.put("decode_bound_tok_s", boundTokS);
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
            p.put("decode_fraction_of_bound", pl.decodeTokensPerSecond() / boundTokS);
            p.put("tokens", pl.tokens());
            j.put("personalab", p);
            if (torch != null) {
                j.put("pytorch", torch);
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("prefill", pl.prefillTokensPerSecond() / tPrefill);
                r.put("decode", pl.decodeTokensPerSecond() / tDecode);
                r.put("pytorch_decode_fraction_of_bound", tDecode / boundTokS);
                r.put("same_greedy_tokens", sameTokens);
                j.put("personalab_over_pytorch", r);
            } else {
                j.put("pytorch", Map.of("skipped", torchSkipped));
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

    private JsonNode runTorch(String py, Path model, int[] prompt, int n, Map<String, String> openMp)
            throws Exception {
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
                    Integer.toString(decodeTokens), Integer.toString(repeat), Integer.toString(n));
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
