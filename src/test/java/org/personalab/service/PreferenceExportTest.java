package org.personalab.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.judge.JudgedPair;
import org.personalab.judge.LeakageGuard;
import org.personalab.judge.RubricJudge;
import org.personalab.judge.TrainingRecords;
import org.personalab.judge.TrainingRecords.Kind;
import org.personalab.judge.Verdict;
import org.personalab.spec.AgentSpec;
import org.personalab.spec.SpecJson;
import org.personalab.task.TaskContext;

class PreferenceExportTest {

    @TempDir
    Path dir;

    JudgingFixture fx;
    JudgeService svc;
    PreferenceExport export;

    @BeforeEach
    void setUp() {
        fx = new JudgingFixture(dir, 45);
        svc = new JudgeService(fx.ws);
        export = new PreferenceExport(svc);
    }

    long judge(String split) {
        return svc.judge(svc.plan(new JudgeService.Request(fx.runA + ":" + fx.runB, split, 0)), new RubricJudge(), 1,
                TaskContext.none()).runId();
    }

    static List<JsonNode> jsonl(Path f) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(f)) {
            out.add(SpecJson.MAPPER.readTree(line)); // every line parses on its own
        }
        return out;
    }

    @Test
    void dpoRecordsAreTrlExplicitPromptPairsOfTheBetterSpecWithAManifestAndLlamaFactoryEntry() throws Exception {
        long run = judge("js:train");
        List<JudgedPair> judged = svc.judged(run);
        // an annotator overturns one A win: that pair must be exported the other way round
        JudgedPair flipped = judged.stream().filter(j -> j.judgeVerdict() == Verdict.A).findFirst().orElseThrow();
        svc.override(flipped.id(), "ana", Verdict.B, "B fits better", false);
        Path out = dir.resolve("data/dpo.jsonl");
        PreferenceExport.Outcome o = export.export(new PreferenceExport.Request(Kind.DPO, "latest", out,
                PreferenceExport.Weight.CONFIDENCE, null), TaskContext.none());

        long decided = judged.stream().filter(j -> j.judgeVerdict() != Verdict.TIE).count();
        List<JsonNode> lines = jsonl(out);
        assertEquals(decided, lines.size(), "ties are not preference data");
        JsonNode manifest = SpecJson.MAPPER.readTree(o.manifest().toFile());
        Map<Long, String> docs = new HashMap<>();
        fx.ws.read(tx -> tx.specs().byRun(fx.runA)).forEach(r -> docs.put(r.id(), r.document()));
        fx.ws.read(tx -> tx.specs().byRun(fx.runB)).forEach(r -> docs.put(r.id(), r.document()));
        for (int i = 0; i < lines.size(); i++) {
            JsonNode rec = lines.get(i);
            assertEquals(Set.of("prompt", "chosen", "rejected", "weight"), fieldNames(rec));
            assertEquals("system", rec.path("prompt").get(0).path("role").asText());
            assertEquals(TrainingRecords.SYSTEM, rec.path("prompt").get(0).path("content").asText());
            assertEquals("user", rec.path("prompt").get(1).path("role").asText());
            assertTrue(rec.path("prompt").get(1).path("content").asText().contains("- **Openness**: "));
            assertEquals(1, rec.path("chosen").size());
            assertEquals("assistant", rec.path("chosen").get(0).path("role").asText());
            JsonNode chosen = SpecJson.MAPPER.readTree(rec.path("chosen").get(0).path("content").asText());
            JsonNode rejected = SpecJson.MAPPER.readTree(rec.path("rejected").get(0).path("content").asText());
            JsonNode line = manifest.path("lines").get(i);
            assertEquals(i + 1, line.path("line").asInt());
            long judgment = line.path("judgmentId").asLong();
            assertEquals(persona(docs.get(line.path("chosenSpecId").asLong())), chosen);
            assertEquals(persona(docs.get(line.path("rejectedSpecId").asLong())), rejected);
            JudgedPair j = judged.stream().filter(x -> x.id() == judgment).findFirst().orElseThrow();
            Verdict v = judgment == flipped.id() ? Verdict.B : j.judgeVerdict();
            assertEquals(v == Verdict.A ? j.pair().specA() : j.pair().specB(), line.path("chosenSpecId").asLong());
            assertEquals(judgment == flipped.id() ? "annotator" : "judge", line.path("decidedBy").asText());
            assertEquals(judgment == flipped.id() ? 1.0 : 0.75, rec.path("weight").asDouble(), 1e-12);
        }
        assertEquals(decided, manifest.path("records").asLong());
        assertEquals("dpo", manifest.path("kind").asText());
        assertEquals(judged.size(), manifest.path("counts").path("judgments").asInt());
        assertEquals(judged.size() - decided, manifest.path("counts").path("ties").asLong());
        assertEquals(1, manifest.path("counts").path("decidedByAnnotator").asInt());
        assertEquals(RubricJudge.LABEL, manifest.path("judge").asText());
        assertEquals("ana", manifest.path("annotators").get(0).asText());
        assertEquals(run, manifest.path("judgingRun").path("id").asLong());
        assertEquals("js:test", manifest.path("leakageGuard").path("testParts").get(0).asText());
        assertEquals(64, manifest.path("sha256").asText().length());

        JsonNode info = SpecJson.MAPPER.readTree(o.datasetInfo().toFile()).path("dpo");
        assertTrue(info.path("ranking").asBoolean());
        assertEquals("sharegpt", info.path("formatting").asText());
        assertEquals("dpo.llamafactory.jsonl", info.path("file_name").asText());
        List<JsonNode> lf = jsonl(o.llamaFactoryFile());
        assertEquals(lines.size(), lf.size());
        assertTrue(lf.get(0).path("chosen").isObject(), "LLaMA-Factory wants one message, not a list");
        assertEquals(lines.get(0).path("chosen").get(0), lf.get(0).path("chosen"));
        assertEquals(lines.get(0).path("prompt"), lf.get(0).path("messages"));

        var exportRun = fx.ws.read(tx -> tx.runs().get(o.runId())).orElseThrow();
        assertEquals(PreferenceExport.RUN_KIND, exportRun.kind());
        assertTrue(exportRun.inputs().contains("\"judgingRunId\":" + run), exportRun.inputs());
    }

    @Test
    void sftRecordsHoldOnlyChosenSpecsAsChatMessages() throws Exception {
        judge("js:train");
        Path out = dir.resolve("sft.jsonl");
        PreferenceExport.Outcome o = export.export(new PreferenceExport.Request(Kind.SFT, "latest", out, null,
                null), TaskContext.none());
        List<JsonNode> lines = jsonl(out);
        assertEquals(o.records(), lines.size());
        JsonNode manifest = SpecJson.MAPPER.readTree(o.manifest().toFile());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode m = lines.get(i).path("messages");
            assertEquals(Set.of("messages"), fieldNames(lines.get(i)));
            assertEquals(List.of("system", "user", "assistant"), List.of(m.get(0).path("role").asText(),
                    m.get(1).path("role").asText(), m.get(2).path("role").asText()));
            long chosen = manifest.path("lines").get(i).path("chosenSpecId").asLong();
            String doc = fx.ws.read(tx -> tx.specs().get(chosen)).orElseThrow().document();
            AgentSpec spec = org.personalab.spec.TinyTroupeFiles.parse(doc).spec();
            assertEquals(0.0, RubricJudge.score(spec, svc.profile(manifest.path("lines").get(i)
                    .path("respondentId").asLong())).total(), "only the faithful spec is ever chosen here");
        }
        JsonNode info = SpecJson.MAPPER.readTree(o.datasetInfo().toFile()).path("sft");
        assertEquals("sft.jsonl", info.path("file_name").asText());
        assertFalse(info.has("ranking"));
        assertEquals("messages", info.path("columns").path("messages").asText());
        assertEquals(null, o.llamaFactoryFile());
    }

    @Test
    void theLeakageGuardRefusesTestPeopleAndWritesNothing() throws Exception {
        judge(null); // every person, test split included
        Path outDir = Files.createDirectories(dir.resolve("leak"));
        Path out = outDir.resolve("dpo.jsonl");
        LeakageGuard.LeakageException e = assertThrows(LeakageGuard.LeakageException.class,
                () -> export.export(new PreferenceExport.Request(Kind.DPO, "latest", out, null, null),
                        TaskContext.none()));
        assertTrue(e.people() > 0);
        assertTrue(e.getMessage().contains(e.people() + " people") && e.getMessage().contains("(js:test)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("nothing was written"), e.getMessage());
        try (var files = Files.list(outDir)) {
            assertEquals(0, files.count(), "no file, no temporary file");
        }
        long exports = fx.ws.read(tx -> tx.runs().list()).stream()
                .filter(r -> r.kind().equals(PreferenceExport.RUN_KIND)).count();
        assertEquals(0, exports);
        // explicit parts replace the default "every part named test*"
        LeakageGuard.LeakageException train = assertThrows(LeakageGuard.LeakageException.class,
                () -> export.export(new PreferenceExport.Request(Kind.SFT, "latest", out, null, List.of("js:train")),
                        TaskContext.none()));
        assertTrue(train.getMessage().contains("(js:train)"), train.getMessage());
        IllegalArgumentException whole = assertThrows(IllegalArgumentException.class,
                () -> export.export(new PreferenceExport.Request(Kind.SFT, "latest", out, null, List.of("js")),
                        TaskContext.none()));
        assertTrue(whole.getMessage().contains("give SET:PART"), whole.getMessage());
    }

    private static Set<String> fieldNames(JsonNode n) {
        Set<String> s = new java.util.HashSet<>();
        n.fieldNames().forEachRemaining(s::add);
        return s;
    }

    private static JsonNode persona(String doc) throws Exception {
        return SpecJson.MAPPER.readTree(doc).path("persona");
    }
}
