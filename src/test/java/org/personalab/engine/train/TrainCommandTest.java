package org.personalab.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.cli.TrainCommand;
import org.personalab.engine.LoraAdapter;
import picocli.CommandLine;

/** {@code personalab train}: the child JVM trains and streams its log; a failing child is reported, not fatal. */
class TrainCommandTest {

    @TempDir
    Path tmp;

    private int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = new CommandLine(new TrainCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void childTrainsStreamsEventsAndResumes() throws Exception {
        Path model = TrainFixtures.chatModel(tmp.resolve("model"), 5);
        Path data = TrainFixtures.sftFile(tmp.resolve("sft.jsonl"));
        Path out = tmp.resolve("run");
        Path config = TrainFixtures.config(tmp.resolve("c.json"), model, data, out,
                Map.of("max_steps", 4, "save_steps", 2, "heap", "512m"));
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        assertEquals(0, run(o, e, "sft", "--config", config.toString()), o + "\n" + e);
        assertTrue(o.toString().contains("-Xmx512m"), o.toString());
        assertTrue(o.toString().contains("step 4 "), o.toString());
        assertTrue(o.toString().contains("checkpoint at step 2"), o.toString());
        assertTrue(Files.isRegularFile(out.resolve(LoraAdapter.WEIGHTS_FILE)));
        assertEquals(4, TrainFixtures.logs(out).size());
        StringWriter o2 = new StringWriter();
        assertEquals(0, run(o2, new StringWriter(), "sft", "--config", config.toString(), "--resume"), o2.toString());
        assertTrue(o2.toString().contains("resume: 4 examples, 4 steps from step 2"), o2.toString());
        List<com.fasterxml.jackson.databind.node.ObjectNode> logs = TrainFixtures.logs(out);
        assertEquals(6, logs.size());
        for (int i = 0; i < 2; i++) {
            assertEquals(logs.get(2 + i).get("loss").asDouble(), logs.get(4 + i).get("loss").asDouble(), 1e-5);
        }
    }

    @Test
    void failingChildIsReportedWithItsReason() {
        Path data = TrainFixtures.sftFile(tmp.resolve("sft.jsonl"));
        Path config = TrainFixtures.config(tmp.resolve("c.json"), tmp.resolve("no-such-model"), data,
                tmp.resolve("run"), Map.of("max_steps", 1));
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        assertEquals(1, run(o, e, "sft", "--config", config.toString()));
        assertTrue(e.toString().contains("error: training failed (exit code 1)"), e.toString());
        assertTrue(e.toString().contains("no-such-model"), e.toString());
    }

    @Test
    void badConfigIsRefusedBeforeStartingAChild() throws Exception {
        Path config = TrainFixtures.write(tmp.resolve("c.json"), List.of("{\"model\": \"m\"}"));
        StringWriter e = new StringWriter();
        CommandLine cl = new CommandLine(new TrainCommand());
        cl.setErr(new PrintWriter(e, true));
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            line.getErr().println("error: " + ex.getMessage());
            return 1;
        });
        assertEquals(1, cl.execute("dpo", "--config", config.toString()));
        assertTrue(e.toString().contains("c.json") && e.toString().contains("output_dir"), e.toString());
    }
}
