package org.personalab.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.cli.TrainCommand;
import org.personalab.engine.Compute;
import org.personalab.engine.DType;
import org.personalab.engine.EngineException;
import org.personalab.engine.LoraAdapter;
import org.personalab.engine.SafeTensorsFile;
import picocli.CommandLine;

/**
 * The training config's {@code device} and {@code torch_dtype}: read, checked (file and field named), recorded, and
 * carried to the child JVM, which trains in float16 on the CPU with float32 master weights and loss scaling, and
 * reports a missing GPU as a clear error instead of crashing.
 */
class TrainComputeTest {

    @TempDir
    Path tmp;

    private int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = new CommandLine(new TrainCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private Path config(String name, Map<String, Object> fields) {
        Path model = tmp.resolve("model");
        if (!Files.isDirectory(model)) {
            TrainFixtures.chatModel(model, 5);
        }
        Path data = TrainFixtures.sftFile(tmp.resolve("sft.jsonl"));
        return TrainFixtures.config(tmp.resolve(name + ".json"), model, data, tmp.resolve(name), fields);
    }

    @Test
    void configReadsChecksAndRecordsDeviceAndDtype() {
        TrainConfig d = TrainConfig.load(config("d", Map.of()), TrainConfig.Kind.SFT);
        assertEquals("auto", d.device());
        assertEquals("auto", d.torchDtype());
        TrainConfig c = TrainConfig.load(config("c", Map.of("device", "CUDA", "torch_dtype", "fp16")),
                TrainConfig.Kind.SFT);
        assertEquals("cuda:0", c.device());
        assertEquals("float16", c.torchDtype());
        ObjectNode j = c.toJson();
        assertEquals("cuda:0", j.path("device").asText());
        assertEquals("float16", j.path("torch_dtype").asText());
        TrainConfig o = c.withCompute("cpu", null);
        assertEquals("cpu", o.device());
        assertEquals("float16", o.torchDtype());
        assertEquals(new Compute("cpu", DType.F16), o.compute());

        Path bad = config("bad", Map.of("device", "gpu0"));
        EngineException e = assertThrows(EngineException.class, () -> TrainConfig.load(bad, TrainConfig.Kind.SFT));
        assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("field 'device'")
                && e.getMessage().contains("cuda:N"), e.getMessage());
        Path bf16 = config("bf16", Map.of("torch_dtype", "bfloat16"));
        e = assertThrows(EngineException.class, () -> TrainConfig.load(bf16, TrainConfig.Kind.SFT));
        assertTrue(e.getMessage().contains("field 'torch_dtype'") && e.getMessage().contains("aborts the JVM"),
                e.getMessage());
    }

    @Test
    void overridesReachTheChildCommandLine() {
        List<String> cmd = TrainProcess.command(TrainConfig.Kind.DPO, tmp.resolve("c.json"), "latest", "1g",
                "cuda:1", "float16");
        assertEquals(List.of("latest", "--device", "cuda:1", "--torch-dtype", "float16"),
                cmd.subList(cmd.size() - 5, cmd.size()));
        List<String> plain = TrainProcess.command(TrainConfig.Kind.SFT, tmp.resolve("c.json"), null, "1g");
        assertFalse(plain.contains("--device") || plain.contains("--torch-dtype"), plain.toString());
    }

    @Test
    void childTrainsInFloat16OnTheCpuWithLossScaling() throws Exception {
        Path full = config("full", Map.of("max_steps", 1, "heap", "512m", "device", "cpu"));
        Path half = config("half", Map.of("max_steps", 16, "heap", "512m", "device", "cpu",
                "lr_scheduler_type", "constant"));
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        assertEquals(0, run(o, e, "sft", "--config", full.toString()), o + "\n" + e);
        assertTrue(o.toString().contains("on cpu in float32"), o.toString());
        StringWriter o2 = new StringWriter();
        StringWriter e2 = new StringWriter();
        // the dtype comes from the command line, over the config
        assertEquals(0, run(o2, e2, "sft", "--config", half.toString(), "--dtype", "float16"), o2 + "\n" + e2);
        assertTrue(o2.toString().contains("device cpu, torch_dtype float16"), o2.toString());
        assertTrue(o2.toString().contains("on cpu in float16"), o2.toString());

        List<ObjectNode> events = events(tmp.resolve("half"));
        ObjectNode start = events.get(0);
        assertEquals("start", start.path("event").asText());
        assertEquals("cpu", start.path("device").asText());
        assertEquals("float16", start.path("torch_dtype").asText());
        assertEquals(LossScaler.INITIAL, start.path("loss_scale").asDouble());
        double a = TrainFixtures.logs(tmp.resolve("full")).get(0).path("loss").asDouble();
        List<ObjectNode> logs = TrainFixtures.logs(tmp.resolve("half"));
        double b = logs.get(0).path("loss").asDouble();
        // before any update both runs compute the base model's loss on the same batch
        assertEquals(a, b, 2e-3 * a, "first-step loss, float32 " + a + " vs float16 " + b);
        // GradScaler's start: 2^16 overflows on the first steps, each skip halves the scale, then updates apply
        long overflows = events.stream().filter(x -> x.path("event").asText().equals("overflow")).count();
        double lastScale = events.stream().filter(x -> x.path("event").asText().equals("overflow"))
                .mapToDouble(x -> x.path("loss_scale").asDouble()).min().orElse(LossScaler.INITIAL);
        assertTrue(overflows < 12, overflows + " of 16 steps skipped:\n" + o2);
        assertEquals(LossScaler.INITIAL / Math.pow(2, overflows), lastScale, "each overflow halves the scale");
        double last = logs.get(logs.size() - 1).path("loss").asDouble();
        System.out.printf("float16 SFT: %d of 16 steps skipped (scale now %.0f), loss %.4f → %.4f; float32 first "
                + "loss %.4f%n", overflows, lastScale, b, last, a);
        assertTrue(last < 0.8 * b, "float16 training learns once the scale fits: " + b + " → " + last + "\n" + o2);
        // the saved adapter holds float32 master weights
        SafeTensorsFile f = SafeTensorsFile.open(tmp.resolve("half").resolve(LoraAdapter.WEIGHTS_FILE));
        assertFalse(f.names().isEmpty());
        for (String n : f.names()) {
            assertEquals(DType.F32, f.entry(n).dtype(), n);
        }
    }

    @Test
    void childAskedForCudaWithoutAGpuFailsWithTheMessage() {
        assumeTrue(Compute.gpuCount() == 0, "this machine's libtorch has CUDA");
        Path c = config("cuda", Map.of("max_steps", 1, "heap", "512m", "device", "cuda"));
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        assertEquals(1, run(o, e, "sft", "--config", c.toString()));
        assertTrue(e.toString().contains("error: training failed (exit code 1)"), e.toString());
        assertTrue(e.toString().contains("sees no CUDA GPU") && e.toString().contains("PYTORCH_LIBRARY_PATH"),
                e.toString());
        assertFalse(Files.exists(tmp.resolve("cuda").resolve(LoraAdapter.WEIGHTS_FILE)));
    }

    @Test
    void aBadOverrideIsRefusedBeforeAChildStarts() {
        Path c = config("o", Map.of("max_steps", 1));
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        assertEquals(2, run(o, e, "sft", "--config", c.toString(), "--dtype", "int4"));
        assertTrue(e.toString().contains("field 'torch_dtype'") && e.toString().contains("int4"), e.toString());
        assertFalse(o.toString().contains("child JVM"), o.toString());
    }

    @Test
    void lossScalerSkipsOverflowsHalvesAndGrows() {
        LossScaler s = new LossScaler(true);
        assertEquals(65536, s.scale());
        List<float[]> g = new ArrayList<>(List.of(new float[] {65536f, -131072f}));
        assertTrue(s.unscale(g));
        assertEquals(1f, g.get(0)[0]);
        assertEquals(-2f, g.get(0)[1]);
        List<float[]> inf = new ArrayList<>(List.of(new float[] {Float.POSITIVE_INFINITY, 1f}));
        assertFalse(s.unscale(inf), "an overflowed step is skipped");
        assertEquals(32768, s.scale());
        for (int i = 0; i < LossScaler.INTERVAL; i++) {
            assertTrue(s.unscale(new ArrayList<>(List.of(new float[] {1f}))));
        }
        assertEquals(65536, s.scale(), "doubles after INTERVAL good steps");
        LossScaler off = new LossScaler(false);
        assertEquals(1, off.scale());
        assertFalse(off.unscale(new ArrayList<>(List.of(new float[] {Float.NaN}))));
        assertEquals(1, off.scale(), "float32 never rescales");
    }

    private static List<ObjectNode> events(Path out) throws Exception {
        List<ObjectNode> all = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve(EventLog.FILE))) {
            all.add((ObjectNode) TrainFixtures.M.readTree(line));
        }
        return all;
    }
}
