package org.personalab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device and dtype options: auto picks what DJL sees, bad values are refused with the allowed ones, bfloat16 never
 * reaches the engine, and CUDA on a machine (or libtorch) without it is a clear message, not a JVM crash.
 */
class ComputeTest {

    @TempDir
    Path tmp;

    @Test
    void optionsParseAndNormalise() {
        assertEquals("auto", Compute.normaliseDevice(null));
        assertEquals("auto", Compute.normaliseDevice(" AUTO "));
        assertEquals("cpu", Compute.normaliseDevice("cpu"));
        assertEquals("cuda:0", Compute.normaliseDevice("cuda"));
        assertEquals("cuda:3", Compute.normaliseDevice("CUDA:3"));
        assertNull(Compute.parseDtype("auto"));
        assertNull(Compute.parseDtype(null));
        assertEquals(DType.F32, Compute.parseDtype("float32"));
        assertEquals(DType.F16, Compute.parseDtype("fp16"));
        assertEquals("cpu, float16", Compute.resolve("cpu", "float16").toString());
        assertEquals("float32", Compute.resolve("cpu", "auto").torchDtype());
    }

    @Test
    void badValuesNameWhatIsAllowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Compute.normaliseDevice("gpu0"));
        assertTrue(e.getMessage().contains("'gpu0'") && e.getMessage().contains("cuda:N"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Compute.parseDtype("int8"));
        assertTrue(e.getMessage().contains("auto, float32, float16"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Compute.parseDtype("bfloat16"));
        assertTrue(e.getMessage().contains("aborts the JVM"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Compute("cpu", DType.BF16));
        assertTrue(e.getMessage().contains("bfloat16"), e.getMessage());
    }

    @Test
    void autoFollowsWhatDjlSees() {
        Compute auto = Compute.resolve("auto", "auto");
        if (Compute.gpuCount() > 0) {
            assertEquals("cuda:0, float16", auto.toString());
        } else {
            assertEquals("cpu, float32", auto.toString());
        }
        assertEquals(DType.F32, Compute.resolve(auto.device(), "float32").dtype(), "an explicit dtype wins");
    }

    @Test
    void cudaWithoutAGpuIsAClearMessageNotACrash() {
        assumeTrue(Compute.gpuCount() == 0, "this machine's libtorch has CUDA");
        EngineException e = assertThrows(EngineException.class, () -> Compute.resolve("cuda", "auto"));
        assertTrue(e.getMessage().contains("'cuda:0'") && e.getMessage().contains("sees no CUDA GPU")
                && e.getMessage().contains("PYTORCH_LIBRARY_PATH") && e.getMessage().contains("STACK.md")
                && e.getMessage().contains("--device cpu"), e.getMessage());
        // the engine still works afterwards
        Path dir = TinyModel.random(1, true, false).write(tmp.resolve("m"), DType.F32, 1);
        try (DecoderModel m = DecoderModel.load(dir, Compute.resolve("auto", "auto"))) {
            assertEquals("cpu, float32", m.compute().toString());
        }
    }

    @Test
    void aGpuIndexBeyondTheLastIsNamed() {
        assumeTrue(Compute.gpuCount() > 0, "needs a CUDA libtorch and a GPU");
        EngineException e = assertThrows(EngineException.class, () -> Compute.resolve("cuda:99", "auto"));
        assertTrue(e.getMessage().contains("cuda:99") && e.getMessage().contains("sees"), e.getMessage());
    }
}
