package org.personalab.engine;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;

/**
 * Measures the engine's prefill and decode speed on one prompt through the real generation path ({@link Generator}:
 * KV cache, greedy choice over the full vocabulary in Java). Prefill is the time from the call to the first token
 * (the prompt's forward pass plus one argmax); decode is the time from the first to the last token divided by the
 * tokens in between (one cached forward pass and one argmax each). No stop token ends a run early.
 */
public final class DecodeBenchmark {

    /**
     * Medians over the timed repeats, the individual timings (seconds), the thread count PyTorch used and the
     * tokens of the last run (for comparing with another engine on the same weights).
     */
    public record Result(double prefillTokensPerSecond, double decodeTokensPerSecond, double[] prefillSeconds,
            double[] decodeSeconds, int intraOpThreads, int interOpThreads, double loadSeconds, int[] tokens) {
    }

    private DecodeBenchmark() {
    }

    /** {@code n} token ids drawn uniformly from the vocabulary with {@code seed} (the benchmark's prompt). */
    public static int[] prompt(int vocab, int n, long seed) {
        Random r = new Random(seed);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = r.nextInt(vocab);
        }
        return p;
    }

    /**
     * Loads {@code modelDir} and times {@code repeat} generations of {@code decodeTokens} tokens after
     * {@code prompt}, after one untimed warm-up, with PyTorch on {@code threads} intra-op threads.
     */
    public static Result run(Path modelDir, int[] prompt, int decodeTokens, int repeat, int threads) {
        return run(modelDir, prompt, decodeTokens, repeat, threads, Compute.cpu());
    }

    /** As {@link #run(Path, int[], int, int, int)}, on {@code compute}'s device and dtype. */
    public static Result run(Path modelDir, int[] prompt, int decodeTokens, int repeat, int threads,
            Compute compute) {
        if (prompt.length == 0 || decodeTokens < 1 || repeat < 1) {
            throw new IllegalArgumentException("need a prompt, at least one decode token and one repeat");
        }
        DjlRuntime.setThreads(threads);
        long l0 = System.nanoTime();
        try (DecoderModel model = DecoderModel.load(modelDir, compute)) {
            double load = (System.nanoTime() - l0) / 1e9;
            Generator generator = new Generator(model);
            time(generator, prompt, Math.min(decodeTokens, 4));
            double[] prefill = new double[repeat];
            double[] decode = new double[repeat];
            int[] tokens = null;
            for (int i = 0; i < repeat; i++) {
                Timing t = time(generator, prompt, decodeTokens);
                prefill[i] = t.prefillSeconds;
                decode[i] = t.decodeSeconds;
                tokens = t.tokens;
            }
            return new Result(prompt.length / median(prefill), decodeTokens / median(decode), prefill, decode,
                    DjlRuntime.threads(), DjlRuntime.interopThreads(), load, tokens);
        }
    }

    private record Timing(double prefillSeconds, double decodeSeconds, int[] tokens) {
    }

    private static Timing time(Generator generator, int[] prompt, int decodeTokens) {
        long[] at = new long[decodeTokens + 1];
        int[] seen = {0};
        long t0 = System.nanoTime();
        Generation g = generator.generate(prompt, GenerationParams.greedy(decodeTokens + 1, Set.of()), token -> {
            at[seen[0]++] = System.nanoTime();
            return true;
        });
        if (seen[0] != decodeTokens + 1) {
            throw new IllegalStateException("generation stopped after " + seen[0] + " of " + (decodeTokens + 1)
                    + " tokens");
        }
        return new Timing((at[0] - t0) / 1e9, (at[decodeTokens] - at[0]) / 1e9, g.tokens());
    }

    /** The median (mean of the middle two for an even count). */
    public static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
