package org.personalab.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * float16 compute (on the CPU, which PyTorch 2.7 supports) against the float32 reference on the same weights: logits
 * within {@link #LOGIT_TOLERANCE}, the same greedy tokens, float32 logits and LoRA master weights, and LoRA gradients
 * within {@link #GRADIENT_TOLERANCE} of float32's. The same code runs on CUDA, where float16 is the default.
 *
 * <p>Tolerances are relative to the largest float32 value: float16 keeps 11 significant bits (rounding 2⁻¹¹ ≈
 * 4.9e-4 of a value). The tiny model's logits reach about ±18 and after two layers of rounded products the largest
 * difference measured was 0.029 (1.6e-3 of the largest logit); 5e-3 leaves room for other seeds and CPUs without
 * hiding a real error (a lost mask or a wrong cast moves logits by whole units).
 */
class HalfPrecisionTest {

    static final double LOGIT_TOLERANCE = 5e-3;
    static final double GRADIENT_TOLERANCE = 1e-2;
    static final int[] PROMPT = {5, 17, 299, 0, 42, 42, 7, 123, 250, 1, 64};

    @TempDir
    Path tmp;

    private static final Compute CPU_HALF = new Compute("cpu", DType.F16);

    @Test
    void float16LogitsAreWithinToleranceOfFloat32AndGreedyTokensAgree() {
        Path dir = TinyModel.random(31, true, false).write(tmp.resolve("m"), DType.F32, 1);
        try (DecoderModel full = DecoderModel.load(dir, Compute.cpu());
                DecoderModel half = DecoderModel.load(dir, CPU_HALF)) {
            assertEquals("cpu, float16", half.compute().toString());
            assertEquals(DataType.FLOAT16, half.weights().get("model.layers.0.self_attn.q_proj.weight").getDataType());
            assertEquals(DataType.FLOAT16, half.weights().get("model.norm.weight").getDataType());
            assertEquals(DataType.FLOAT32, full.weights().get("model.norm.weight").getDataType());
            // outside a gradient collector casts take DJL's cheap toType (Casts). Grad mode is libtorch's per-thread
            // global and a training test earlier in this JVM may have left it on: inference here runs with it off.
            ai.djl.pytorch.jni.JniUtils.setGradMode(false);
            assertFalse(ai.djl.pytorch.jni.JniUtils.isGradMode(), "inference runs without autograd");
            float[][] expected = DecoderModelTest.logits(full, PROMPT);
            float[][] actual;
            try (NDArray out = half.forward(new int[][] {PROMPT})) {
                assertEquals(DataType.FLOAT32, out.getDataType(), "logits are float32 whatever the dtype");
                actual = rows(out.toFloatArray(), PROMPT.length);
            }
            double worst = 0;
            double spread = 0;
            for (int t = 0; t < PROMPT.length; t++) {
                for (int j = 0; j < expected[t].length; j++) {
                    worst = Math.max(worst, Math.abs(expected[t][j] - actual[t][j]));
                    spread = Math.max(spread, Math.abs(expected[t][j]));
                }
            }
            System.out.printf("fp16 vs fp32 logits: max |diff| %.3g, max |logit| %.3g%n", worst, spread);
            assertTrue(spread > 0.5, "logits too small to be a meaningful check: " + spread);
            assertTrue(worst > 0, "float16 must round somewhere; identical logits mean it did not run in float16");
            assertTrue(worst <= LOGIT_TOLERANCE * spread, "max |fp16 − fp32| = " + worst + ", largest |logit| "
                    + spread);

            GenerationParams greedy = GenerationParams.greedy(16, Set.of());
            int[] a = new Generator(full).generate(PROMPT, greedy, null).tokens();
            int[] b = new Generator(half).generate(PROMPT, greedy, null).tokens();
            assertArrayEquals(a, b, "greedy tokens (prefill with the mask, then cached single-token steps)");
            // batched, left-padded: the padded row still generates what it generates alone
            List<Generation> batch = new Generator(half).generate(List.of(PROMPT, new int[] {9, 8, 7}), greedy, null);
            assertArrayEquals(b, batch.get(0).tokens());
            assertArrayEquals(new Generator(half).generate(new int[] {9, 8, 7}, greedy, null).tokens(),
                    batch.get(1).tokens());
        }
    }

    @Test
    void loraOnAFloat16ModelKeepsFloat32MasterWeightsAndGradients() {
        Path dir = TinyModel.random(32, false, false).write(tmp.resolve("m"), DType.F32, 1);
        LoraConfig config = new LoraConfig(4, 8, 0, List.of("q_proj", "v_proj", "down_proj"), false, "m");
        try (DecoderModel full = DecoderModel.load(dir, Compute.cpu());
                DecoderModel half = DecoderModel.load(dir, CPU_HALF);
                LoraAdapter fa = LoraAdapter.create(full, config, 7);
                LoraAdapter ha = LoraAdapter.create(half, config, 7)) {
            // a trained-looking B (a fresh adapter has B = 0 and would test nothing)
            Random r = new Random(3);
            for (String module : fa.modules().keySet()) {
                NDArray fb = fa.modules().get(module).b();
                float[] v = new float[(int) fb.getShape().size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (r.nextGaussian() * 0.2);
                }
                fb.set(v);
                ha.modules().get(module).b().set(v);
            }
            LoraLinear q = ha.modules().get("model.layers.0.self_attn.q_proj");
            assertEquals(DataType.FLOAT32, q.a().getDataType());
            assertEquals(DataType.FLOAT32, q.b().getDataType());
            assertEquals(DataType.FLOAT16, q.base().weight().getDataType());

            float[] gradFull = gradientOfA(full, fa);
            float[] gradHalf = gradientOfA(half, ha);
            double worst = 0;
            double scale = 0;
            for (int i = 0; i < gradFull.length; i++) {
                worst = Math.max(worst, Math.abs(gradFull[i] - gradHalf[i]));
                scale = Math.max(scale, Math.abs(gradFull[i]));
            }
            System.out.printf("fp16 vs fp32 LoRA gradient: max |diff| %.3g, max |grad| %.3g%n", worst, scale);
            assertTrue(scale > 1e-3, "gradient too small to compare: " + scale);
            assertTrue(worst <= GRADIENT_TOLERANCE * scale, "max |fp16 − fp32| gradient = " + worst + " of " + scale);

            assertLogitsClose(DecoderModelTest.logits(full, PROMPT), DecoderModelTest.logits(half, PROMPT));
            // the merged export is float32 and equals the float32 model's merge up to float16 rounding of W
            HostTensor mergedHalf = ha.mergedWeights().get("model.layers.0.self_attn.q_proj.weight");
            HostTensor mergedFull = fa.mergedWeights().get("model.layers.0.self_attn.q_proj.weight");
            for (int i = 0; i < mergedFull.data().length; i++) {
                assertEquals(mergedFull.data()[i], mergedHalf.data()[i], 1e-3);
            }
        }
    }

    /** d(sum of log p(next prompt token))/dA of layer 0's q_proj, as float32. */
    private static float[] gradientOfA(DecoderModel model, LoraAdapter adapter) {
        NDArray a = adapter.modules().get("model.layers.0.self_attn.q_proj").a();
        a.setRequiresGradient(true);
        try (GradientCollector gc = DjlRuntime.engine().newGradientCollector();
                NDScope scope = new NDScope()) {
            NDArray logits = model.forward(new int[][] {PROMPT});
            NDScope.register(logits);
            long[] next = new long[PROMPT.length];
            for (int t = 0; t < PROMPT.length; t++) {
                next[t] = PROMPT[(t + 1) % PROMPT.length];
            }
            NDArray idx = model.manager().create(next, new ai.djl.ndarray.types.Shape(1, PROMPT.length, 1));
            gc.backward(logits.logSoftmax(-1).gather(idx, 2).sum());
            scope.suppressNotUsedWarning();
            try (NDArray g = a.getGradient()) {
                assertEquals(DataType.FLOAT32, g.getDataType(), "master-weight gradients are float32");
                return g.toFloatArray();
            }
        } finally {
            a.setRequiresGradient(false);
        }
    }

    private static void assertLogitsClose(float[][] expected, float[][] actual) {
        double worst = 0;
        double spread = 0;
        for (int t = 0; t < expected.length; t++) {
            for (int j = 0; j < expected[t].length; j++) {
                worst = Math.max(worst, Math.abs(expected[t][j] - actual[t][j]));
                spread = Math.max(spread, Math.abs(expected[t][j]));
            }
        }
        System.out.printf("fp16 vs fp32 logits with LoRA: max |diff| %.3g, max |logit| %.3g%n", worst, spread);
        assertTrue(worst <= LOGIT_TOLERANCE * spread, "max |fp16 − fp32| with LoRA = " + worst + " of " + spread);
    }

    private static float[][] rows(float[] flat, int n) {
        float[][] r = new float[n][];
        int v = flat.length / n;
        for (int t = 0; t < n; t++) {
            r[t] = java.util.Arrays.copyOfRange(flat, t * v, (t + 1) * v);
        }
        return r;
    }
}
