package org.personalab.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DJL forward pass against {@link ReferenceForward}, the KV cache against recomputation, and loading. */
class DecoderModelTest {

    static final double TOLERANCE = 1e-4;
    static final int[] PROMPT = {5, 17, 299, 0, 42, 42, 7, 123, 250, 1, 64};

    @TempDir
    Path tmp;

    @Test
    void float32ForwardEqualsPlainJavaReference() {
        TinyModel tiny = TinyModel.random(1, false, false);
        try (DecoderModel model = DecoderModel.load(tiny.write(tmp.resolve("f32"), DType.F32, 1))) {
            assertFalse(model.config().tieWordEmbeddings());
            assertLogitsMatch(new ReferenceForward(tiny).logits(PROMPT), logits(model, PROMPT));
        }
    }

    @Test
    void bf16ShardedTiedForwardEqualsPlainJavaReference() {
        TinyModel tiny = TinyModel.random(2, true, true);
        Path dir = tiny.write(tmp.resolve("bf16"), DType.BF16, 2);
        assertTrue(Files.exists(dir.resolve(Checkpoint.INDEX)));
        try (var files = Files.list(dir)) {
            assertTrue(files.filter(f -> f.getFileName().toString().matches("model-\\d{5}-of-\\d{5}\\.safetensors"))
                    .count() >= 2, "weights are sharded");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Checkpoint ckpt = Checkpoint.open(dir);
        assertEquals(DType.BF16, ckpt.dtype("model.norm.weight"));
        assertFalse(ckpt.contains("lm_head.weight"));
        try (DecoderModel model = DecoderModel.load(dir)) {
            assertTrue(model.config().tieWordEmbeddings());
            assertLogitsMatch(new ReferenceForward(tiny).logits(PROMPT), logits(model, PROMPT));
        }
    }

    @Test
    void tiedAndUntiedHeadsDiffer() {
        // same body, one model with its own lm_head: the logits must come from the head actually configured
        TinyModel untied = TinyModel.random(3, false, false);
        TinyModel tied = new TinyModelView(untied).tiedCopy();
        try (DecoderModel a = DecoderModel.load(untied.write(tmp.resolve("untied"), DType.F32, 1));
                DecoderModel b = DecoderModel.load(tied.write(tmp.resolve("tied"), DType.F32, 1))) {
            float[] la = logits(a, PROMPT)[PROMPT.length - 1];
            float[] lb = logits(b, PROMPT)[PROMPT.length - 1];
            assertFalse(Arrays.equals(la, lb));
            assertLogitsMatch(new ReferenceForward(tied).logits(PROMPT), logits(b, PROMPT));
        }
    }

    @Test
    void untiedConfigWithoutLmHeadNamesTheMissingWeight() {
        TinyModel tied = TinyModel.random(4, true, false);
        Path dir = tied.write(tmp.resolve("broken"), DType.F32, 1, c -> c.put("tie_word_embeddings", false));
        EngineException e = assertThrows(EngineException.class, () -> DecoderModel.load(dir));
        assertTrue(e.getMessage().contains("lm_head.weight"), e.getMessage());
    }

    @Test
    void wrongShapeNamesTensorAndConfig() {
        TinyModel tiny = TinyModel.random(5, false, false);
        Path dir = tiny.write(tmp.resolve("shape"), DType.F32, 1, c -> c.put("intermediate_size", 96));
        EngineException e = assertThrows(EngineException.class, () -> DecoderModel.load(dir));
        assertTrue(e.getMessage().contains("mlp.gate_proj.weight") && e.getMessage().contains("config.json"),
                e.getMessage());
    }

    @Test
    void incrementalDecodingWithCacheEqualsFullRecomputation() {
        TinyModel tiny = TinyModel.random(6, false, false);
        try (DecoderModel model = DecoderModel.load(tiny.write(tmp.resolve("kv"), DType.F32, 1))) {
            float[][] full = logits(model, PROMPT);
            try (KvCache cache = model.newCache(1)) {
                // prefill 4 tokens, then 3, then one at a time
                int[][] chunks = {Arrays.copyOfRange(PROMPT, 0, 4), Arrays.copyOfRange(PROMPT, 4, 7)};
                int done = 0;
                for (int[] chunk : chunks) {
                    float[][] part = run(model, cache, chunk);
                    for (int t = 0; t < chunk.length; t++) {
                        assertClose(full[done + t], part[t], "position " + (done + t));
                    }
                    done += chunk.length;
                }
                for (; done < PROMPT.length; done++) {
                    float[][] one = run(model, cache, new int[] {PROMPT[done]});
                    assertClose(full[done], one[0], "position " + done);
                }
                assertEquals(PROMPT.length, cache.length());
                assertEquals(PROMPT.length, cache.nextPosition(0));
            }
        }
    }

    @Test
    void leftPaddedRowsComputeWhatTheyComputeAlone() {
        TinyModel tiny = TinyModel.random(7, true, false);
        try (DecoderModel model = DecoderModel.load(tiny.write(tmp.resolve("pad"), DType.F32, 1))) {
            int[] shortPrompt = {9, 8, 7};
            int[][] tokens = {PROMPT, new int[PROMPT.length]};
            boolean[][] valid = {new boolean[PROMPT.length], new boolean[PROMPT.length]};
            Arrays.fill(valid[0], true);
            int pad = PROMPT.length - shortPrompt.length;
            System.arraycopy(shortPrompt, 0, tokens[1], pad, shortPrompt.length);
            Arrays.fill(valid[1], pad, PROMPT.length, true);
            try (KvCache cache = model.newCache(2); NDArray out = model.forward(tokens, valid, cache, false)) {
                float[] flat = out.toFloatArray();
                int v = TinyModel.VOCAB;
                float[][] alone = logits(model, shortPrompt);
                for (int t = 0; t < shortPrompt.length; t++) {
                    int slot = pad + t;
                    float[] row = Arrays.copyOfRange(flat, (PROMPT.length + slot) * v, (PROMPT.length + slot + 1) * v);
                    assertClose(alone[t], row, "padded row, token " + t);
                }
                assertEquals(shortPrompt.length, cache.nextPosition(1));
                float[] first = Arrays.copyOfRange(flat, (PROMPT.length - 1) * v, PROMPT.length * v);
                assertClose(logits(model, PROMPT)[PROMPT.length - 1], first, "full row");
            }
        }
    }

    @Test
    void tokenOutsideVocabularyIsRefused() {
        TinyModel tiny = TinyModel.random(8, true, false);
        try (DecoderModel model = DecoderModel.load(tiny.write(tmp.resolve("vocab"), DType.F32, 1))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.forward(new int[][] {{1, TinyModel.VOCAB}}));
            assertTrue(e.getMessage().contains("300"), e.getMessage());
        }
    }

    static float[][] logits(DecoderModel model, int[] ids) {
        try (NDArray out = model.forward(new int[][] {ids})) {
            assertArrayEquals(new long[] {1, ids.length, TinyModel.VOCAB}, out.getShape().getShape());
            return rows(out.toFloatArray(), ids.length);
        }
    }

    static float[][] run(DecoderModel model, KvCache cache, int[] ids) {
        boolean[] v = new boolean[ids.length];
        Arrays.fill(v, true);
        try (NDArray out = model.forward(new int[][] {ids}, new boolean[][] {v}, cache, false)) {
            return rows(out.toFloatArray(), ids.length);
        }
    }

    private static float[][] rows(float[] flat, int n) {
        float[][] r = new float[n][];
        int v = flat.length / n;
        for (int t = 0; t < n; t++) {
            r[t] = Arrays.copyOfRange(flat, t * v, (t + 1) * v);
        }
        return r;
    }

    static void assertLogitsMatch(double[][] expected, float[][] actual) {
        assertEquals(expected.length, actual.length);
        double worst = 0;
        double spread = 0;
        for (int t = 0; t < expected.length; t++) {
            for (int j = 0; j < expected[t].length; j++) {
                worst = Math.max(worst, Math.abs(expected[t][j] - actual[t][j]));
                spread = Math.max(spread, Math.abs(expected[t][j]));
            }
        }
        assertTrue(spread > 0.5, "logits too small to be a meaningful check: " + spread);
        assertTrue(worst <= TOLERANCE, "max |engine − reference| = " + worst);
    }

    static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length);
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], actual[j], TOLERANCE, what + ", logit " + j);
        }
    }
}
