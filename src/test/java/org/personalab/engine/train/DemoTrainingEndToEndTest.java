package org.personalab.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.cli.PersonaLabCommand;
import org.personalab.llm.ApiKeys;
import org.personalab.llm.CallContext;
import org.personalab.llm.ChatMessage;
import org.personalab.llm.ChatRequest;
import org.personalab.llm.ChatResponse;
import org.personalab.llm.LlmGateway;
import org.personalab.llm.ModelPrice;
import org.personalab.llm.Provider;
import org.personalab.llm.ProviderRegistry;
import org.personalab.service.DemoWorkspace;
import org.personalab.service.TrainingRuns;
import org.personalab.store.Workspace;
import org.personalab.task.RunRecord;

/**
 * Issue 7 end to end, as a user runs it on the command line: build the demo, export its train part's judged pairs
 * as SFT and DPO files, train SFT and then DPO from the SFT adapter in child JVMs (the engine tests' tiny random
 * model, the demo's real-size spec prompts), find both runs in the workspace's run journal with the exports they
 * used, and serve the DPO adapter so our own gateway gets a chat completion from it.
 *
 * <p>The demo's records are about 8,500 tokens under the tiny model's byte-level tokenizer, too long for a CPU test,
 * so training is capped (each prompt cut to its last 32 tokens, each sequence to 640, which keeps the first point
 * where a DPO pair's completions differ) and the test checks that the cut is reported, never silent; a cap that would
 * cut every completion away is refused with that reason.
 */
class DemoTrainingEndToEndTest {

    @TempDir
    Path tmp;

    private record Cli(int code, String out, String err) {
    }

    private static Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PersonaLabCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Cli(code, out.toString(), err.toString());
    }

    private static Cli ok(String... args) {
        Cli c = cli(args);
        assertEquals(0, c.code(), String.join(" ", args) + "\n" + c.out() + "\n" + c.err());
        return c;
    }

    @Test
    void demoPreferencesTrainSftThenDpoAreRecordedAndTheAdapterIsServed() throws Exception {
        Path demo = tmp.resolve("demo");
        ok("demo", "--workspace", demo.toString());
        Path data = tmp.resolve("data");
        Path sft = data.resolve("sft.jsonl");
        Path dpo = data.resolve("dpo.jsonl");
        ok("export", "sft", "--workspace", demo.toString(), "--split", DemoWorkspace.TRAIN_PART, "--out",
                sft.toString());
        ok("export", "dpo", "--workspace", demo.toString(), "--split", DemoWorkspace.TRAIN_PART, "--out",
                dpo.toString());
        int sftRecords = Files.readAllLines(sft).size();
        int dpoRecords = Files.readAllLines(dpo).size();
        assertTrue(sftRecords > 0 && dpoRecords > 0, sftRecords + " SFT, " + dpoRecords + " DPO records");
        Cli refused = cli("export", "sft", "--workspace", demo.toString(), "--split", DemoWorkspace.TEST_PART,
                "--out", data.resolve("test.jsonl").toString());
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("refused"), refused.err());

        Path model = TrainFixtures.chatModel(tmp.resolve("model"), 5);
        // cut at the end to fewer tokens than a prompt has: every completion would go; refused, saying so
        Path tooShort = TrainFixtures.config(tmp.resolve("too-short.json"), model, sft, tmp.resolve("too-short"),
                Map.of("max_steps", 1, "max_length", 256, "heap", "1g"));
        Cli cut = cli("train", "sft", "--config", tooShort.toString(), "--workspace", demo.toString());
        assertEquals(1, cut.code(), cut.out() + cut.err());
        assertTrue(cut.err().contains(sftRecords + " lost their whole completion and train nothing"), cut.err());
        assertTrue(cut.err().contains("truncation_mode"), cut.err());

        Map<String, Object> capped = Map.of("max_steps", 2, "max_length", 640, "max_prompt_length", 32,
                "heap", "1g");
        Path sftOut = tmp.resolve("sft-out");
        Cli sftRun = ok("train", "sft", "--config", TrainFixtures.config(tmp.resolve("sft.json"), model, sft, sftOut,
                capped).toString(), "--workspace", demo.toString());
        assertTrue(sftRun.out().contains(sftRecords + " prompts cut to their last max_prompt_length = 32 tokens; "
                + sftRecords + " of " + sftRecords + " sequences exceeded max_length = 640"), sftRun.out());
        assertTrue(sftRun.out().contains("step 2 "), sftRun.out());

        Path dpoOut = tmp.resolve("dpo-out");
        Map<String, Object> dpoFields = new java.util.HashMap<>(capped);
        dpoFields.put("adapter_init", sftOut.toString());
        Cli dpoRun = ok("train", "dpo", "--config", TrainFixtures.config(tmp.resolve("dpo.json"), model, dpo, dpoOut,
                dpoFields).toString(), "--workspace", demo.toString());
        assertTrue(dpoRun.out().contains("margin"), dpoRun.out());
        List<ObjectNodeView> dpoLogs = TrainFixtures.logs(dpoOut).stream().map(ObjectNodeView::new).toList();
        assertTrue(dpoLogs.stream().anyMatch(l -> l.n().get("rewards/margins").asDouble() != 0),
                "the kept completions differ, so DPO moves the margin: " + dpoLogs);

        // the run journal: the failed run, then SFT and DPO with the exports they trained on
        try (Workspace ws = Workspace.open(demo)) {
            List<RunRecord> runs = ws.read(tx -> tx.runs().list());
            List<RunRecord> train = runs.stream().filter(r -> r.kind().equals(TrainingRuns.RUN_KIND)).toList();
            assertEquals(3, train.size(), train.toString());
            RunRecord dpoRecord = train.get(0);
            RunRecord sftRecord = train.get(1);
            RunRecord failed = train.get(2);
            assertEquals(RunRecord.FAILED, failed.status());
            assertTrue(failed.error().contains("lost their whole completion"), failed.error());
            assertEquals(RunRecord.SUCCEEDED, sftRecord.status(), sftRecord.error());
            assertEquals(RunRecord.SUCCEEDED, dpoRecord.status(), dpoRecord.error());
            long sftExport = exportRun(runs, sft);
            long dpoExport = exportRun(runs, dpo);
            JsonNode sftIn = json(sftRecord.inputs());
            JsonNode dpoIn = json(dpoRecord.inputs());
            assertEquals(List.of(sftExport), longs(sftIn.get("exportRunIds")));
            assertEquals(List.of(dpoExport), longs(dpoIn.get("exportRunIds")));
            long judging = ws.read(tx -> tx.runs().get(sftExport)).map(r -> json(r.inputs()).get("judgingRunId")
                    .asLong()).orElseThrow();
            assertEquals(judging, sftIn.at("/trainDataset/judgingRunId").asLong());
            assertEquals(sftRecord.id(), dpoIn.at("/adapterInit/trainRunId").asLong(), "DPO continues the SFT run");
            JsonNode params = json(dpoRecord.params());
            assertEquals("dpo", params.get("kind").asText());
            assertEquals(640, params.at("/config/max_length").asInt());
            assertEquals(32, params.at("/config/max_prompt_length").asInt());
            JsonNode out = json(dpoRecord.outputs());
            assertEquals("succeeded", out.get("status").asText());
            assertEquals(dpoOut.toString(), out.get("adapter").asText());
            assertEquals(2, out.get("steps").asInt());
            assertTrue(out.get("finalLoss").isNumber() && out.get("finalMargin").isNumber(), out.toString());
            assertEquals(2 * dpoRecords, out.get("sequencesTruncated").asInt(), "chosen and rejected of each pair");
            assertTrue(json(sftRecord.outputs()).get("truncation").asText().contains("exceeded max_length = 640"));
        }

        // serve the DPO adapter; our gateway gets a completion from it like from any provider
        StringWriter serveOut = new StringWriter();
        AtomicInteger serveCode = new AtomicInteger(-1);
        Thread server = new Thread(() -> serveCode.set(PersonaLabCommand.run(new PrintWriter(serveOut, true),
                new PrintWriter(new StringWriter(), true), "serve", "--model", model.toString(), "--adapter",
                dpoOut.toString(), "--port", "0")));
        server.start();
        try {
            Pattern at = Pattern.compile("'([^']+)' at (http://\\S+/v1)");
            Matcher m = at.matcher("");
            for (int i = 0; i < 1200 && !m.find(0); i++) {
                Thread.sleep(100);
                m = at.matcher(serveOut.toString());
            }
            assertTrue(m.find(0), "no 'Serving model … at URL' line: " + serveOut);
            Provider local = Provider.of("local-dpo-out", m.group(2), null).withDefaultPrice(ModelPrice.free());
            try (Workspace ws = Workspace.open(demo);
                    LlmGateway gw = LlmGateway.builder(ws).registry(ProviderRegistry.builtIn().with(local))
                            .keys(new ApiKeys(tmp.resolve("keys.json"), v -> null)).build()) {
                ChatResponse r = gw.call(ChatRequest.of("local-dpo-out", m.group(1), List.of(
                        ChatMessage.system("You are a system that generates specifications."),
                        ChatMessage.user("Describe a person."))).withTemperature(0.0).withMaxTokens(8),
                        CallContext.of(null));
                assertTrue(r.isOk(), r.toString());
                assertNotNull(r.text());
                assertTrue(r.usage().promptTokens() > 0 && r.usage().completionTokens() <= 8, r.usage().toString());
            }
        } finally {
            server.interrupt();
            server.join(10_000);
        }
        assertEquals(0, serveCode.get());
        assertFalse(server.isAlive());
    }

    /** A log line, printable in a failure message. */
    private record ObjectNodeView(JsonNode n) {
        @Override
        public String toString() {
            return n.toString();
        }
    }

    private static long exportRun(List<RunRecord> runs, Path file) {
        return runs.stream().filter(r -> r.kind().equals("export") && json(r.outputs()).path("file").asText()
                .equals(file.toAbsolutePath().normalize().toString())).findFirst().orElseThrow().id();
    }

    private static List<Long> longs(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asLong).toList();
    }

    private static JsonNode json(String text) {
        try {
            return TrainFixtures.M.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(text, e);
        }
    }
}
