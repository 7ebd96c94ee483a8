package org.personalab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.engine.RandomModel;
import picocli.CommandLine;

/**
 * The plumbing of {@code personalab bench engine --train-step} and of {@code --device} / {@code --dtype} on the tiny
 * shape: every figure is reported and written, the trainable-parameter count is the one r 16 on all seven projections
 * implies, float16 runs on the CPU, CUDA without a GPU is a clear error, and with python3-torch the PyTorch step
 * computes the same loss on the same weights and tokens. No timing is asserted.
 */
class EngineBenchTrainStepTest {

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    private static Run bench(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new EngineBench());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            line.getErr().println("error: " + ex.getMessage());
            return 1;
        });
        int code = cl.execute(args.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    private List<String> tinyArgs(String... more) {
        List<String> a = new ArrayList<>(List.of("--shape", "tiny", "--prompt-tokens", "6", "--decode-tokens", "3",
                "--repeat", "1", "--threads", "1", "--bandwidth-mb", "4", "--cache", tmp.resolve("models").toString(),
                "--train-step", "--train-seq", "24", "--train-repeat", "2"));
        a.addAll(List.of(more));
        return a;
    }

    /** Parameters of r-rank LoRA on every projection of the shape: r · (in + out) per projection and layer. */
    static long loraParameters(RandomModel.Shape s, int r) {
        long q = (long) s.heads() * s.headDim();
        long kv = (long) s.kvHeads() * s.headDim();
        long h = s.hidden();
        long i = s.intermediate();
        long perLayer = (h + q) + (h + kv) + (h + kv) + (q + h) + (h + i) + (h + i) + (i + h);
        return r * perLayer * s.layers();
    }

    @Test
    void trainStepReportsEveryFigureInFloat32AndFloat16() throws Exception {
        for (String dtype : List.of("float32", "float16")) {
            Path json = tmp.resolve(dtype + ".json");
            Run r = bench(tinyArgs("--device", "cpu", "--dtype", dtype, "--python", "/nonexistent/python3", "--json",
                    json.toString()));
            assertEquals(0, r.code(), r.out() + r.err());
            assertTrue(r.out().contains("both engines compute on cpu in " + dtype), r.out());
            assertTrue(r.out().contains("Training step (LoRA SFT, batch 1, 24 tokens, r 16"), r.out());
            assertTrue(r.out().contains("PyTorch eager training step: skipped (cannot run /nonexistent/python3"),
                    r.out());
            assertPositive(r.out(), "tokens/s\\s+([0-9.]+)\\s+-");
            assertPositive(r.out(), "peak RSS \\(MiB\\)\\s+([0-9]+)");
            JsonNode t = new ObjectMapper().readTree(json.toFile()).at("/train_step/personalab");
            assertEquals(dtype, t.path("torch_dtype").asText());
            assertEquals("cpu", t.path("device").asText());
            assertEquals(24, t.path("sequence_length").asInt());
            assertEquals(16, t.path("lora_r").asInt());
            assertEquals(7, t.path("target_modules").size());
            assertEquals(loraParameters(RandomModel.Shape.TINY, 16), t.path("trainable_parameters").asLong());
            assertEquals(2, t.path("step_s").size());
            for (String f : List.of("tokens_per_s", "first_loss", "last_loss", "peak_resident_mb", "heap_mb",
                    "load_s")) {
                assertTrue(t.path(f).asDouble() > 0, f + " in " + t);
            }
            // a random 512-token vocabulary: the untrained model's loss is near ln(512)
            assertEquals(Math.log(512), t.path("first_loss").asDouble(), 0.5, t.toString());
            assertTrue(t.path("last_loss").asDouble() < t.path("first_loss").asDouble() + 1e-3,
                    "the same sequence three times: the loss does not rise " + t);
            assertEquals(dtype, new ObjectMapper().readTree(json.toFile()).at("/model/compute_dtype").asText());
        }
    }

    @Test
    void badOptionsAndMissingCudaAreReported() {
        Run r = bench(List.of("--shape", "tiny", "--dtype", "bfloat16", "--cache", tmp.resolve("m").toString()));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("aborts the JVM"), r.err());
        r = bench(List.of("--shape", "tiny", "--train-step", "--train-seq", "1", "--cache",
                tmp.resolve("m").toString()));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--train-seq must be at least 2"), r.err());
        assumeTrue(org.personalab.engine.Compute.gpuCount() == 0, "this machine's libtorch has CUDA");
        r = bench(List.of("--shape", "tiny", "--device", "cuda:0", "--cache", tmp.resolve("m").toString()));
        assertEquals(1, r.code());
        assertTrue(r.err().contains("sees no CUDA GPU") && r.err().contains("STACK.md"), r.err());
        assertTrue(!Files.exists(tmp.resolve("m")), "nothing written for a device that is not there");
    }

    /** With Debian's python3-torch the PyTorch step runs on the same weights and tokens and computes the same loss. */
    @Test
    void pytorchTrainStepComputesTheSameLoss() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")));
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import torch, numpy").redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        assumeTrue(p.waitFor() == 0, "python3-torch is not installed");
        Path json = tmp.resolve("t.json");
        Run r = bench(tinyArgs("--device", "cpu", "--dtype", "float32", "--python", "/usr/bin/python3", "--json",
                json.toString()));
        assertEquals(0, r.code(), r.out() + r.err());
        JsonNode j = new ObjectMapper().readTree(json.toFile()).path("train_step");
        JsonNode torch = j.path("pytorch");
        assertTrue(torch.path("tokens_per_s").asDouble() > 0, j.toString());
        assertEquals(j.at("/personalab/trainable_parameters").asLong(), torch.path("trainable_parameters").asLong());
        // B = 0 before the first update: both compute the base model's loss on the same tokens
        assertEquals(torch.path("first_loss").asDouble(), j.at("/personalab/first_loss").asDouble(), 1e-4,
                j.toString());
        assertTrue(j.path("personalab_over_pytorch").asDouble() > 0);
        assertPositive(r.out(), "tokens/s\\s+[0-9.]+\\s+([0-9.]+)\\s+[0-9.]+x");
    }

    private static void assertPositive(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no match for " + regex + " in\n" + text);
        assertTrue(Double.parseDouble(m.group(1)) > 0, m.group() + " is not positive");
    }
}
