package org.personalab.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generation with the KV cache against full recomputation, stop tokens, batching and seeded sampling. */
class GeneratorTest {

    @TempDir
    static Path tmp;

    static DecoderModel model;

    @BeforeAll
    static void load() {
        model = DecoderModel.load(TinyModel.random(21, true, false).write(tmp.resolve("m"), DType.F32, 1));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Greedy decoding by recomputing the whole sequence at every step, without a cache. */
    static int[] greedyByRecomputation(int[] prompt, int steps) {
        int[] seq = prompt.clone();
        for (int i = 0; i < steps; i++) {
            float[][] logits = DecoderModelTest.logits(model, seq);
            seq = Arrays.copyOf(seq, seq.length + 1);
            seq[seq.length - 1] = Sampler.argmax(logits[logits.length - 1]);
        }
        return Arrays.copyOfRange(seq, prompt.length, seq.length);
    }

    @Test
    void greedyWithCacheEqualsRecomputation() {
        int[] prompt = {3, 14, 15, 92, 65};
        int[] expected = greedyByRecomputation(prompt, 12);
        Generation g = new Generator(model).generate(prompt, GenerationParams.greedy(12, Set.of()), null);
        assertArrayEquals(expected, g.tokens());
        assertEquals(Generation.FinishReason.LENGTH, g.finishReason());
        assertEquals(5, g.promptTokens());
    }

    @Test
    void stopsAtAStopTokenAndLeavesItOut() {
        int[] prompt = {3, 14, 15, 92, 65};
        int[] free = greedyByRecomputation(prompt, 12);
        int stopAt = 4;
        int stop = free[stopAt];
        int first = 0;
        while (free[first] != stop) {
            first++;
        }
        List<Integer> streamed = new ArrayList<>();
        Generation g = new Generator(model).generate(prompt, GenerationParams.greedy(12, Set.of(stop)),
                streamed::add);
        assertEquals(Generation.FinishReason.STOP, g.finishReason());
        assertArrayEquals(Arrays.copyOf(free, first), g.tokens());
        assertEquals(Arrays.stream(g.tokens()).boxed().toList(), streamed);
    }

    @Test
    void batchedPromptsOfDifferentLengthsEqualSingleRuns() {
        List<int[]> prompts = List.of(new int[] {1, 2, 3, 4, 5, 6, 7, 8}, new int[] {200}, new int[] {50, 60, 70});
        Generator gen = new Generator(model);
        SamplingParams sampling = new SamplingParams(0.9, 0.95, 0, 1234);
        GenerationParams params = new GenerationParams(10, Set.of(), sampling);
        List<Generation> batch = gen.generate(prompts, params, null);
        for (int b = 0; b < prompts.size(); b++) {
            // prompt b of a batch samples with seed + b
            GenerationParams alone = new GenerationParams(10, Set.of(),
                    new SamplingParams(0.9, 0.95, 0, 1234 + b));
            assertArrayEquals(gen.generate(prompts.get(b), alone, null).tokens(), batch.get(b).tokens(), "row " + b);
        }
        List<Generation> greedy = gen.generate(prompts, GenerationParams.greedy(6, Set.of()), null);
        for (int b = 0; b < prompts.size(); b++) {
            assertArrayEquals(greedyByRecomputation(prompts.get(b), 6), greedy.get(b).tokens(), "greedy row " + b);
        }
    }

    @Test
    void rowsStopIndependently() {
        int[] a = {1, 2, 3};
        int[] b = {9, 9};
        int[] freeA = greedyByRecomputation(a, 8);
        int stop = freeA[1];
        List<Generation> out = new Generator(model).generate(List.of(a, b), GenerationParams.greedy(8, Set.of(stop)),
                null);
        assertEquals(Generation.FinishReason.STOP, out.get(0).finishReason());
        int[] freeB = greedyByRecomputation(b, 8);
        int cut = 0;
        while (cut < freeB.length && freeB[cut] != stop) {
            cut++;
        }
        assertArrayEquals(Arrays.copyOf(freeB, cut), out.get(1).tokens());
    }

    @Test
    void generationFreesEveryIntermediateArray() {
        // a server generates for hours: nothing may stay behind in the model's manager
        int before = model.manager().getManagedArrays().size();
        new Generator(model).generate(List.of(new int[] {4, 5, 6}, new int[] {1}),
                new GenerationParams(8, Set.of(), new SamplingParams(1, 0.9, 5, 3)), null);
        DecoderModelTest.logits(model, new int[] {1, 2, 3});
        assertEquals(before, model.manager().getManagedArrays().size());
        assertTrue(before >= 2 * 12 + 2, "the weights themselves are managed: " + before);
    }

    @Test
    void seedsMakeSamplingReproducibleAndDifferent() {
        int[] prompt = {7, 7, 7};
        Generator gen = new Generator(model);
        GenerationParams p1 = new GenerationParams(20, Set.of(), new SamplingParams(1.5, 1, 0, 1));
        GenerationParams p2 = new GenerationParams(20, Set.of(), new SamplingParams(1.5, 1, 0, 2));
        int[] x = gen.generate(prompt, p1, null).tokens();
        assertArrayEquals(x, gen.generate(prompt, p1, null).tokens());
        assertNotEquals(Arrays.toString(x), Arrays.toString(gen.generate(prompt, p2, null).tokens()));
        assertTrue(Arrays.stream(x).allMatch(t -> t >= 0 && t < TinyModel.VOCAB));
    }
}
