package org.personalab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.service.EvaluationTestData;
import org.personalab.task.Failures;
import picocli.CommandLine;

class EvaluateCommandTest {

    @TempDir
    static Path dir;

    static EvaluationTestData data;
    static long copy;
    static long shifted;

    @BeforeAll
    static void setUp() {
        data = EvaluationTestData.create(dir);
        copy = data.simulate("test:copy", 20, (p, item, agent) -> EvaluationTestData.copy(p));
        // every answer one step towards the middle: within-one stays 1, exact drops to the share of 3s
        shifted = data.simulate("test:shift", 20, (p, item, agent) -> {
            int v = EvaluationTestData.copy(p);
            return v < 3 ? v + 1 : v > 3 ? v - 1 : 3;
        });
    }

    /** Runs the command as PersonaLabCommand does (same error handler), without depending on its registration. */
    private static CliTestSupport.Result evaluate(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new EvaluateCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            line.getErr().println("error: " + Failures.describe(ex));
            return 1;
        });
        int code = cl.execute(args);
        return new CliTestSupport.Result(code, out.toString(), err.toString());
    }

    @Test
    void evaluatesARunAgainstAnotherAndWritesThreeFiles() throws Exception {
        Path out = dir.resolve("results/shift.csv");
        CliTestSupport.Result r = evaluate("--workspace", data.ws.dir().toString(), "--run", "latest", "--vs",
                Long.toString(copy), "--out", out.toString(), "--resamples", "500", "--uniform-draws", "5");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("run " + shifted + " (test:shift, IPIP-NEO-120) on 20 agents of 20 people"),
                r.out());
        assertTrue(r.out().contains("Uniform random (chance)") && r.out().contains("0.200 [0.200, 0.200]"),
                r.out());
        assertTrue(r.out().contains("Profile ceiling (level mode)"), r.out());
        assertTrue(r.out().contains("Run " + shifted + " vs run " + copy + " (a - b, paired on 20 people)"), r.out());
        assertTrue(r.out().contains("vs chance"), r.out());

        List<String> agents = Files.readAllLines(out);
        assertEquals(21, agents.size());
        String[] head = agents.get(0).split(",");
        assertEquals(List.of("id", "exact_accuracy", "within_one_accuracy", "mad"), List.of(head).subList(0, 4));
        for (String line : agents.subList(1, agents.size())) {
            String[] f = line.split(",", -1);
            assertEquals("1", f[2], "one step off is always within one: " + line);
            double exact = Double.parseDouble(f[1]);
            assertTrue(exact >= 0 && exact < 1, line);
        }
        assertTrue(Files.exists(dir.resolve("results/shift-summary.csv")));
        String cmp = Files.readString(dir.resolve("results/shift-comparison.csv"));
        assertTrue(cmp.contains("run:" + shifted + ",run:" + copy + ",exact_accuracy,20,"), cmp);
        String exactLine = cmp.lines().filter(l -> l.contains(",exact_accuracy,") && l.contains(",run:" + copy + ","))
                .findFirst().orElseThrow();
        assertTrue(exactLine.endsWith(",run:" + copy), "the copying run is favoured on exact accuracy: " + exactLine);
    }

    @Test
    void aRunThatIsNotASimulationIsRefusedByName() {
        CliTestSupport.Result r = evaluate("--workspace", data.ws.dir().toString(), "--run",
                Long.toString(data.specRunId), "--out", dir.resolve("x.csv").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("run " + data.specRunId) && r.err().contains("not a simulation run"), r.err());
        assertTrue(!Files.exists(dir.resolve("x.csv")), "nothing written");
    }

    @Test
    void aFolderWithoutAWorkspaceIsRefused() {
        CliTestSupport.Result r = evaluate("--workspace", dir.resolve("nowhere").toString(), "--run", "latest",
                "--out", dir.resolve("y.csv").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("not a PersonaLab workspace"), r.err());
    }
}
