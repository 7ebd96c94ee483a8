package org.personalab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.personalab.engine.Checkpoint;
import org.personalab.engine.DType;
import org.personalab.engine.RandomModel;
import picocli.CommandLine;

/**
 * The plumbing of {@code personalab bench engine} on the tiny shape: the table and the JSON carry every figure as a
 * positive number, the random model is written once and reused, and PyTorch is skipped cleanly when Python is
 * missing. No timing is asserted (speed is what the benchmark reports, not what a test checks).
 */
class EngineBenchTest {

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    private static Run bench(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new EngineBench());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private List<String> tinyArgs(String... more) {
        List<String> a = new ArrayList<>(List.of("--shape", "tiny", "--prompt-tokens", "6", "--decode-tokens", "3",
                "--repeat", "2", "--threads", "1", "--bandwidth-mb", "4", "--cache", tmp.resolve("models").toString()));
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void tinyRunWithoutPythonReportsEveryFigureAndSkipsTorch() throws Exception {
        Path json = tmp.resolve("out/engine.json");
        Run r = bench(tinyArgs("--python", "/nonexistent/python3", "--json", json.toString())
                .toArray(String[]::new));
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("PyTorch eager: skipped (cannot run /nonexistent/python3"), r.out());
        assertPositive(r.out(), "prefill \\(6-token prompt\\)\\s+([0-9.]+)\\s+-\\s+-\\s+-");
        assertPositive(r.out(), "decode \\(KV cache, greedy\\)\\s+([0-9.]+)\\s+-\\s+-\\s+[0-9]+%");
        assertPositive(r.out(), "decode bound \\(bandwidth\\)\\s+([0-9.]+)");
        assertPositive(r.out(), "read ([0-9.]+) GB/s");
        assertPositive(r.out(), "triad ([0-9.]+) GB/s");

        JsonNode j = new ObjectMapper().readTree(json.toFile());
        RandomModel.Shape s = RandomModel.Shape.TINY;
        assertEquals("tiny", j.at("/model/shape").asText());
        assertEquals(s.parameters(), j.at("/model/parameters").asLong());
        assertEquals(1, j.path("threads").asInt());
        assertEquals(1, j.at("/personalab/intra_op_threads").asInt());
        assertTrue(j.at("/bandwidth/read_gbs").asDouble() > 0);
        assertTrue(j.at("/bandwidth/triad_gbs").asDouble() > 0);
        assertEquals(s.elementsReadPerToken() * 4, j.at("/bandwidth/bytes_per_token").asLong());
        double bound = j.at("/bandwidth/decode_bound_tok_s").asDouble();
        assertEquals(Math.max(j.at("/bandwidth/read_gbs").asDouble(), j.at("/bandwidth/triad_gbs").asDouble()) * 1e9
                / j.at("/bandwidth/bytes_per_token").asLong(), bound, bound * 1e-9);
        for (String f : List.of("prefill_tok_s", "decode_tok_s", "decode_fraction_of_bound", "load_s")) {
            assertTrue(j.path("personalab").path(f).asDouble() > 0, f + " in " + j);
        }
        assertEquals(2, j.at("/personalab/prefill_s").size());
        assertEquals(2, j.at("/personalab/decode_s").size());
        assertEquals(4, j.at("/personalab/tokens").size(), "first token plus 3 decoded");
        assertTrue(j.at("/pytorch/skipped").asText().contains("/nonexistent/python3"));
        if (System.getenv("OMP_WAIT_POLICY") == null && System.getenv("GOMP_SPINCOUNT") == null) {
            assertEquals("1000", j.at("/openmp_environment/GOMP_SPINCOUNT").asText(),
                    "the engine bounds OpenMP spinning unless the user chose a policy");
        }
        assertFalse(j.has("personalab_over_pytorch"));
    }

    @Test
    void theRandomModelIsWrittenOnceAndReused() throws Exception {
        Path cache = tmp.resolve("models");
        Path dir = RandomModel.writeOrReuse(cache, RandomModel.Shape.TINY, DType.BF16, 1);
        Path weights = dir.resolve(Checkpoint.SINGLE);
        long written = Files.getLastModifiedTime(weights).toMillis();
        Files.setLastModifiedTime(weights, java.nio.file.attribute.FileTime.fromMillis(written - 60_000));
        assertEquals(dir, RandomModel.writeOrReuse(cache, RandomModel.Shape.TINY, DType.BF16, 1));
        assertEquals(written - 60_000, Files.getLastModifiedTime(weights).toMillis(), "not rewritten");
        Checkpoint c = Checkpoint.open(dir);
        assertEquals(RandomModel.Shape.TINY.tensors().keySet(), c.names());
        for (var e : RandomModel.Shape.TINY.tensors().entrySet()) {
            assertArrayEquals(e.getValue(), c.read(e.getKey()).shape(), e.getKey());
        }
        float[] norm = c.read("model.norm.weight").data();
        assertEquals(1f, norm[0]);
        float[] q = c.read("model.layers.0.self_attn.q_proj.weight").data();
        double sq = 0;
        for (float v : q) {
            sq += v * v;
        }
        assertEquals(0.02, Math.sqrt(sq / q.length), 0.002, "weights have Hugging Face's init scale");
        Path other = RandomModel.writeOrReuse(cache, RandomModel.Shape.TINY.withLayers(1), DType.BF16, 1);
        assertFalse(other.equals(dir), "another shape gets its own folder");
        assertEquals(1, Checkpoint.open(other).names().stream().filter(n -> n.endsWith("q_proj.weight")).count());
    }

    @Test
    void badOptionsGetAClearMessage() {
        String cache = tmp.resolve("models").toString();
        Run r = bench("--shape", "huge", "--cache", cache);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown model shape 'huge' (qwen2.5-0.5b, tiny)"), r.err());
        r = bench("--shape", "tiny", "--layers", "0", "--cache", cache);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--layers must be at least 1"), r.err());
        assertFalse(Files.exists(tmp.resolve("models")), "nothing written for a bad command");
    }

    /** With Debian's python3-torch installed the reference runs on the same weights and picks the same tokens. */
    @Test
    void pytorchReferenceRunsTheSameModel() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")));
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import torch, numpy").redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        assumeTrue(p.waitFor() == 0, "python3-torch is not installed");
        Path json = tmp.resolve("engine.json");
        Run r = bench(tinyArgs("--python", "/usr/bin/python3", "--json", json.toString()).toArray(String[]::new));
        assertEquals(0, r.code(), r.out() + r.err());
        assertPositive(r.out(), "decode \\(KV cache, greedy\\)\\s+[0-9.]+\\s+([0-9.]+)\\s+[0-9.]+x");
        assertTrue(r.out().contains("Greedy tokens: the first 4 of 4 agree"), r.out());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(1, j.at("/pytorch/intra_op_threads").asInt());
        assertTrue(j.at("/pytorch/decode_tok_s").asDouble() > 0);
        assertTrue(j.at("/personalab_over_pytorch/decode").asDouble() > 0);
        assertTrue(j.at("/personalab_over_pytorch/same_greedy_tokens").asBoolean());
        assertEquals(j.at("/personalab/tokens"), j.at("/pytorch/tokens"));
        assertEquals(j.path("openmp_environment"), j.at("/pytorch/openmp_environment"),
                "PyTorch waits the way the engine does");
    }

    private static void assertPositive(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no match for " + regex + " in\n" + text);
        assertTrue(Double.parseDouble(m.group(1)) > 0, m.group() + " is not positive");
    }
}
