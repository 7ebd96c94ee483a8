package org.personalab.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Greedy, temperature, top-k and top-p choice on fixed logits. */
class SamplerTest {

    // probabilities at temperature 1: softmax of ln(p) = p
    static final float[] LOGITS = {
        (float) Math.log(0.05), (float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.15)};

    @Test
    void greedyTakesTheArgmaxAndTheLowestIdOnTies() {
        assertEquals(1, Sampler.sample(LOGITS, SamplingParams.GREEDY, new Random(1)));
        assertEquals(2, Sampler.argmax(new float[] {-1, 0, 3, 3, -5}));
        assertEquals(0, Sampler.argmax(new float[] {-2, -3}));
    }

    @Test
    void topPKeepsTheSmallestNucleusReachingP() {
        assertArrayEquals(new int[] {1}, Sampler.kept(LOGITS, new SamplingParams(1, 0.5, 0, 0)));
        assertArrayEquals(new int[] {1, 2}, Sampler.kept(LOGITS, new SamplingParams(1, 0.51, 0, 0)));
        assertArrayEquals(new int[] {1, 2, 3}, Sampler.kept(LOGITS, new SamplingParams(1, 0.9, 0, 0)));
        assertArrayEquals(new int[] {1, 2, 3, 0}, Sampler.kept(LOGITS, new SamplingParams(1, 1, 0, 0)));
        assertArrayEquals(new int[] {1, 2}, Sampler.kept(LOGITS, new SamplingParams(1, 1, 2, 0)));
        assertArrayEquals(new int[] {1}, Sampler.kept(LOGITS, new SamplingParams(1, 0.001, 0, 0)));
    }

    @Test
    void samplingFollowsTheDistributionAndIsSeeded() {
        SamplingParams p = new SamplingParams(1, 1, 0, 0);
        int n = 40_000;
        int[] counts = new int[4];
        Random r = new Random(11);
        for (int i = 0; i < n; i++) {
            counts[Sampler.sample(LOGITS, p, r)]++;
        }
        double[] expected = {0.05, 0.5, 0.3, 0.15};
        for (int i = 0; i < 4; i++) {
            // 5 standard errors
            double se = Math.sqrt(expected[i] * (1 - expected[i]) / n);
            assertEquals(expected[i], counts[i] / (double) n, 5 * se, "token " + i);
        }
        int[] a = new int[50];
        int[] b = new int[50];
        Random ra = new Random(5);
        Random rb = new Random(5);
        for (int i = 0; i < 50; i++) {
            a[i] = Sampler.sample(LOGITS, p, ra);
            b[i] = Sampler.sample(LOGITS, p, rb);
        }
        assertArrayEquals(a, b);
    }

    @Test
    void lowTemperatureSharpensAndTopPExcludesTheTail() {
        Random r = new Random(2);
        SamplingParams nucleus = new SamplingParams(1, 0.8, 0, 0);
        int[] counts = new int[4];
        for (int i = 0; i < 10_000; i++) {
            counts[Sampler.sample(LOGITS, nucleus, r)]++;
        }
        assertEquals(0, counts[0] + counts[3], "tokens outside the 0.8 nucleus");
        assertEquals(0.5 / 0.8, counts[1] / 10_000.0, 0.03, "renormalised within the nucleus");
        SamplingParams cold = new SamplingParams(0.05, 1, 0, 0);
        int top = 0;
        for (int i = 0; i < 1000; i++) {
            top += Sampler.sample(LOGITS, cold, r) == 1 ? 1 : 0;
        }
        assertTrue(top > 990, "at temperature 0.05 the top token dominates: " + top);
    }

    @Test
    void badParametersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(-1, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1, 1.5, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1, 1, -2, 0));
    }
}
