package org.personalab.engine;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;

/**
 * Autoregressive generation with a {@link KvCache}: the prompts are run once (prefill), then one token per step
 * (decode), each step attending to the cached keys and values instead of recomputing the past.
 *
 * <p>Batching: the prompts of one call run together, left-padded to the longest, so every row's newest token is in
 * the last slot. Padding is masked and takes no position, so each row generates what it would generate alone. A
 * row that has stopped feeds padding until all rows are done. Prompt {@code b} samples with seed
 * {@code seed + b}, so it draws the same tokens as when it runs alone with that seed.
 */
public final class Generator {

    /** Padding token id; any id works, padding is never seen by a real token. */
    private static final int PAD = 0;

    private final DecoderModel model;

    public Generator(DecoderModel model) {
        this.model = model;
    }

    /**
     * Generates for one prompt; {@code onToken} (may be null) sees each new token as it is chosen, for streaming,
     * and ends generation with {@code STOP} by returning false (e.g. at a stop string).
     */
    public Generation generate(int[] prompt, GenerationParams params, IntPredicate onToken) {
        return generate(List.of(prompt), params, onToken == null ? null : (row, token) -> onToken.test(token))
                .get(0);
    }

    /** Sees each new token of row {@code row} as it is chosen; returning false ends that row ({@code STOP}). */
    @FunctionalInterface
    public interface TokenListener {
        boolean onToken(int row, int token);
    }

    /** Generates for each prompt; results in prompt order. */
    public List<Generation> generate(List<int[]> prompts, GenerationParams params, TokenListener listener) {
        int batch = prompts.size();
        if (batch == 0) {
            return List.of();
        }
        int longest = 0;
        for (int[] p : prompts) {
            if (p.length == 0) {
                throw new IllegalArgumentException("a prompt needs at least one token");
            }
            longest = Math.max(longest, p.length);
        }
        int[][] tokens = new int[batch][longest];
        boolean[][] valid = new boolean[batch][longest];
        for (int b = 0; b < batch; b++) {
            int[] p = prompts.get(b);
            int offset = longest - p.length;
            Arrays.fill(tokens[b], PAD);
            System.arraycopy(p, 0, tokens[b], offset, p.length);
            Arrays.fill(valid[b], offset, longest, true);
        }
        Random[] random = new Random[batch];
        for (int b = 0; b < batch; b++) {
            random[b] = new Random(params.sampling().seed() + b);
        }
        List<List<Integer>> out = new ArrayList<>();
        Generation.FinishReason[] finish = new Generation.FinishReason[batch];
        for (int b = 0; b < batch; b++) {
            out.add(new ArrayList<>());
        }
        try (KvCache cache = model.newCache(batch)) {
            float[][] logits = lastLogits(model.forward(tokens, valid, cache, true), batch);
            int running = batch;
            while (running > 0) {
                int[][] next = new int[batch][1];
                boolean[][] nextValid = new boolean[batch][1];
                for (int b = 0; b < batch; b++) {
                    next[b][0] = PAD;
                    if (finish[b] != null) {
                        continue;
                    }
                    int token = Sampler.sample(logits[b], params.sampling(), random[b]);
                    if (params.stopTokens().contains(token)) {
                        finish[b] = Generation.FinishReason.STOP;
                        running--;
                        continue;
                    }
                    out.get(b).add(token);
                    if (listener != null && !listener.onToken(b, token)) {
                        finish[b] = Generation.FinishReason.STOP;
                        running--;
                        continue;
                    }
                    if (out.get(b).size() >= params.maxNewTokens()) {
                        finish[b] = Generation.FinishReason.LENGTH;
                        running--;
                        continue;
                    }
                    next[b][0] = token;
                    nextValid[b][0] = true;
                }
                if (running > 0) {
                    logits = lastLogits(model.forward(next, nextValid, cache, true), batch);
                }
            }
        }
        List<Generation> results = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            int[] t = out.get(b).stream().mapToInt(Integer::intValue).toArray();
            results.add(new Generation(t, finish[b], prompts.get(b).length));
        }
        return results;
    }

    private float[][] lastLogits(NDArray logits, int batch) {
        try (logits) {
            float[] flat = logits.toFloatArray();
            int vocab = flat.length / batch;
            float[][] rows = new float[batch][];
            for (int b = 0; b < batch; b++) {
                rows[b] = Arrays.copyOfRange(flat, b * vocab, (b + 1) * vocab);
            }
            return rows;
        }
    }
}
