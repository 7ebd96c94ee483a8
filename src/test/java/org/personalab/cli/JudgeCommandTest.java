package org.personalab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.service.JudgeService;
import org.personalab.service.JudgingFixture;
import picocli.CommandLine;

/** The judge and export commands, run in-process as the command line runs them. */
class JudgeCommandTest {

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            line.getErr().println("error: " + org.personalab.task.Failures.describe(ex));
            return 1;
        });
        return new Result(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void judgeReviewAndExportFromTheCommandLine() throws Exception {
        System.setProperty("personalab.home", dir.resolve("home").toString());
        JudgingFixture fx = new JudgingFixture(dir, 30);
        String ws = fx.ws.dir().toString();
        String pairs = fx.runA + ":" + fx.runB;

        Result j = run(new JudgeCommand(), "--workspace", ws, "--pairs", pairs, "--split", "js:train", "--engine",
                "rubric");
        assertEquals(0, j.code(), j.err());
        assertTrue(j.out().matches(
                "(?s)Run \\d+: \\d+ pairs judged \\(\\d+ now, 0 resumed\\): A \\d+, B \\d+, tie \\d+.*"),
                j.out());
        assertTrue(j.out().contains("Position consistency: 1.000"), j.out());

        long judgment = new JudgeService(fx.ws).judged(new JudgeService(fx.ws).run("latest").id()).get(0).id();
        Result o = run(new JudgeCommand(), "override", "--workspace", ws, "--judgment", Long.toString(judgment),
                "--annotator", "ana", "--verdict", "tie", "--reason", "both fine");
        assertEquals(0, o.code(), o.err());
        Result s = run(new JudgeCommand(), "summary", "--workspace", ws);
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("1 reviewed, 1 overridden") || s.out().contains("1 reviewed, 0 overridden"),
                s.out());
        assertTrue(s.out().contains("Judge vs ana: kappa"), s.out());

        Path out = dir.resolve("train/dpo.jsonl");
        Result e = run(new ExportCommand(), "dpo", "--workspace", ws, "--out", out.toString(), "--weight",
                "confidence");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().startsWith("Exported "), e.out());
        ObjectMapper m = new ObjectMapper();
        for (String line : Files.readAllLines(out)) {
            JsonNode n = m.readTree(line);
            assertTrue(n.has("prompt") && n.has("chosen") && n.has("rejected") && n.has("weight"), line);
        }
        assertTrue(Files.isRegularFile(dir.resolve("train/dpo.manifest.json")));
        assertTrue(Files.isRegularFile(dir.resolve("train/dataset_info.json")));

        // judging everyone and exporting is refused by the leakage guard, with the count and nothing written
        assertEquals(0, run(new JudgeCommand(), "--workspace", ws, "--pairs", pairs).code());
        Path leak = dir.resolve("leak/sft.jsonl");
        Result refused = run(new ExportCommand(), "sft", "--workspace", ws, "--out", leak.toString());
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("people of the records are in a test split"), refused.err());
        assertFalse(Files.exists(leak));
    }

    @Test
    void badInputGetsClearMessages() {
        JudgingFixture fx = new JudgingFixture(dir, 10);
        String ws = fx.ws.dir().toString();
        Result noPairs = run(new JudgeCommand(), "--workspace", ws);
        assertEquals(2, noPairs.code());
        assertTrue(noPairs.err().contains("RUN_A:RUN_B, edits:RUN or samples:RUN"), noPairs.err());
        Result badPairs = run(new JudgeCommand(), "--workspace", ws, "--pairs", "1:2:3");
        assertEquals(1, badPairs.code());
        assertTrue(badPairs.err().contains("--pairs '1:2:3'"), badPairs.err());
        Result behavioural = run(new JudgeCommand(), "--workspace", ws, "--pairs", fx.runA + ":" + fx.runB,
                "--engine", "behavioural");
        assertEquals(1, behavioural.code());
        assertTrue(behavioural.err().contains("needs simulated answers"), behavioural.err());
        Result engine = run(new JudgeCommand(), "--workspace", ws, "--pairs", fx.runA + ":" + fx.runB, "--engine",
                "gpt4");
        assertEquals(2, engine.code());
        assertTrue(engine.err().contains("PROVIDER:MODEL"), engine.err());
        Result noRun = run(new ExportCommand(), "dpo", "--workspace", ws, "--out", dir.resolve("x.jsonl").toString());
        assertEquals(1, noRun.code());
        assertTrue(noRun.err().contains("no judging run"), noRun.err());
        Result badWeight = run(new ExportCommand(), "dpo", "--workspace", ws, "--out", "x.jsonl", "--weight", "big");
        assertEquals(1, badWeight.code());
        assertTrue(badWeight.err().contains("--weight 'big'"), badWeight.err());
    }

    @Test
    void anLlmJudgeOnALocalServerPreviewsItsPromptAndJudgesBothOrders() throws Exception {
        System.setProperty("personalab.home", dir.resolve("home").toString());
        JudgingFixture fx = new JudgingFixture(dir, 6);
        AtomicInteger requests = new AtomicInteger();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest rr) {
                    requests.incrementAndGet();
                    String content = "{\"winner\":\"A\",\"confidence\":0.9,\"rationale\":\"first\"}";
                    String body = "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                            + new ObjectMapper().valueToTree(content) + "},\"finish_reason\":\"stop\"}],"
                            + "\"usage\":{\"prompt_tokens\":900,\"completion_tokens\":20}}";
                    return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                            .body(body).build();
                }
            });
            server.start();
            String[] base = {"--workspace", fx.ws.dir().toString(), "--pairs", fx.runA + ":" + fx.runB,
                "--engine", "lab:judge-7b", "--base-url", server.url("/v1").toString()};
            Result preview = run(new JudgeCommand(), concat(base, "--preview"));
            assertEquals(0, preview.code(), preview.err());
            assertTrue(preview.out().contains("[system]") && preview.out().contains("## Description B"),
                    preview.out());
            assertEquals(0, requests.get(), "a preview sends nothing");

            Result r = run(new JudgeCommand(), concat(base, "--concurrency", "3"));
            assertEquals(0, r.code(), r.err());
            long identical = fx.expected.values().stream().filter("tie"::equals).count();
            assertEquals(2, identical);
            // 6 pairs x 2 orders; where both specs are identical the two orders are one request, asked once
            assertEquals(12 - identical, requests.get());
            assertTrue(r.out().contains("A 0, B 0, tie 6"), "a judge that always says A only makes ties: " + r.out());
            assertTrue(r.out().contains("Position consistency: 0.000"), r.out());
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
