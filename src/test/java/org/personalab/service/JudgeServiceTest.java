package org.personalab.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.judge.JudgedPair;
import org.personalab.judge.ReviewState.Queue;
import org.personalab.judge.ReviewSummary;
import org.personalab.judge.RubricJudge;
import org.personalab.judge.Verdict;
import org.personalab.judge.VerdictOverride;
import org.personalab.store.StoreException;
import org.personalab.task.RunRecord;
import org.personalab.task.TaskContext;

class JudgeServiceTest {

    @TempDir
    Path dir;

    JudgingFixture fx;
    JudgeService svc;

    @BeforeEach
    void setUp() {
        fx = new JudgingFixture(dir, 60);
        svc = new JudgeService(fx.ws);
    }

    JudgeService.Plan trainPlan() {
        return svc.plan(new JudgeService.Request(fx.runA + ":" + fx.runB, "js:train", 0));
    }

    @Test
    void aRubricRunJudgesEveryTrainPairInBothOrdersAndJournalsItsParametersAndInputs() throws Exception {
        JudgeService.Plan plan = trainPlan();
        Set<Long> train = fx.part("train");
        long expectedPairs = fx.expected.keySet().stream().filter(train::contains).count();
        assertEquals(expectedPairs, plan.pairs().size());
        assertTrue(expectedPairs > 30 && expectedPairs < 60, "about 80% of 60: " + expectedPairs);

        JudgeService.Outcome o = svc.judge(plan, new RubricJudge(), 1, TaskContext.none());
        assertEquals(expectedPairs, o.judgedNow());
        List<JudgedPair> judged = svc.judged(o.runId());
        assertEquals(expectedPairs, judged.size());
        for (JudgedPair j : judged) {
            assertEquals(fx.expected.get(j.pair().respondentId()), j.judgeVerdict().code(),
                    "person " + j.pair().respondentId());
            assertTrue(train.contains(j.pair().respondentId()));
            assertEquals(2, j.orders().size());
            assertTrue(j.consistent());
            assertFalse(j.judgeFlagged());
        }
        ReviewSummary s = o.summary();
        assertEquals(1.0, s.consistency().rate().estimate());
        assertEquals(0.0, s.costUsd());

        RunRecord run = fx.ws.read(tx -> tx.runs().get(o.runId())).orElseThrow();
        assertEquals(JudgeService.RUN_KIND, run.kind());
        assertEquals(RunRecord.SUCCEEDED, run.status());
        JsonNode params = Json.MAPPER.readTree(run.params());
        assertEquals(RubricJudge.LABEL, params.path("engine").asText());
        assertEquals("js:train", params.path("split").asText());
        assertEquals(RubricJudge.RULES, params.path("judge").path("rules").asText());
        JsonNode inputs = Json.MAPPER.readTree(run.inputs());
        assertEquals(List.of(fx.runA, fx.runB), List.of(inputs.path("specRunIds").get(0).asLong(),
                inputs.path("specRunIds").get(1).asLong()));
        assertEquals("train", inputs.path("split").path("part").asText());
        JsonNode out = Json.MAPPER.readTree(run.outputs());
        assertEquals(expectedPairs, out.path("judgments").asLong());
        assertEquals(1.0, out.path("positionConsistency").asDouble());
    }

    @Test
    void aCancelledRunKeepsItsResultsAndTheRerunResumesFromThem() {
        JudgeService.Plan plan = trainPlan();
        AtomicInteger progress = new AtomicInteger();
        TaskContext cancelAfter10 = new TaskContext() {
            @Override
            public void progress(double done, double total) {
                progress.incrementAndGet();
            }

            @Override
            public void message(String message) {
            }

            @Override
            public boolean isCancelled() {
                return progress.get() >= 10;
            }
        };
        assertThrows(CancellationException.class, () -> svc.judge(plan, new RubricJudge(), 1, cancelAfter10));
        RunRecord cancelled = svc.runs().get(0);
        assertEquals(RunRecord.CANCELLED, cancelled.status());
        assertEquals(10, svc.judged(cancelled.id()).size(), "each judged pair is kept");

        JudgeService.Outcome o = svc.judge(plan, new RubricJudge(), 1, TaskContext.none());
        assertEquals(10, o.resumed());
        assertEquals(plan.pairs().size() - 10, o.judgedNow());
        assertEquals(plan.pairs().size(), svc.judged(o.runId()).size());
        assertTrue(svc.run("latest").inputs().contains("\"resumes\":" + cancelled.id()), svc.run("latest").inputs());
    }

    @Test
    void overridesAreAuditedRevertableAndDecideTheEffectiveVerdict() {
        JudgeService.Outcome o = svc.judge(trainPlan(), new RubricJudge(), 1, TaskContext.none());
        JudgedPair j = svc.judged(o.runId()).stream().filter(x -> x.judgeVerdict() == Verdict.A).findFirst()
                .orElseThrow();
        assertEquals(Queue.PENDING, j.queue("ana"));

        IllegalArgumentException noReason = assertThrows(IllegalArgumentException.class,
                () -> svc.override(j.id(), "ana", Verdict.B, " ", false));
        assertTrue(noReason.getMessage().contains("needs a reason"), noReason.getMessage());
        long agree = svc.override(j.id(), "ben", Verdict.A, null, true); // confirming needs no reason
        long first = svc.override(j.id(), "ana", Verdict.B, "B's routines fit low orderliness", false);
        long second = svc.override(j.id(), "ben", Verdict.TIE, "both miss the anxiety", true);

        JudgedPair now = find(o.runId(), j.id());
        assertEquals(Verdict.TIE, now.effective());
        assertEquals(Verdict.B, now.labelOf("ana"));
        assertEquals(Verdict.TIE, now.labelOf("ben"));
        assertEquals(Queue.DONE, now.queue("ana"));
        VerdictOverride a = now.overrides().stream().filter(x -> x.id() == first).findFirst().orElseThrow();
        assertEquals("ana", a.annotator());
        assertEquals(Verdict.A, a.previous(), "the judge's verdict was in force before");
        assertEquals("B's routines fit low orderliness", a.reason());
        assertNotNull(a.at());
        assertNull(a.revertedAt());
        VerdictOverride b = now.overrides().stream().filter(x -> x.id() == second).findFirst().orElseThrow();
        assertEquals(Verdict.B, b.previous());
        assertTrue(b.shownSwapped());

        svc.revert(second, "ana");
        now = find(o.runId(), j.id());
        assertEquals(Verdict.B, now.effective(), "back to ana's override");
        assertEquals(Verdict.A, now.labelOf("ben"), "ben's standing label is his earlier confirmation");
        VerdictOverride reverted = now.overrides().stream().filter(x -> x.id() == second).findFirst().orElseThrow();
        assertNotNull(reverted.revertedAt());
        assertEquals("ana", reverted.revertedBy());
        StoreException twice = assertThrows(StoreException.class, () -> svc.revert(second, "ana"));
        assertTrue(twice.getMessage().contains("already reverted"), twice.getMessage());

        svc.revert(first, "ana");
        svc.revert(agree, "ben");
        now = find(o.runId(), j.id());
        assertEquals(Verdict.A, now.effective(), "every override reverted: the judge's verdict again");
        assertFalse(now.overridden());
        assertEquals(3, now.overrides().size(), "reverted overrides stay in the audit trail");
        assertEquals(List.of("ana", "ben"), svc.annotators());
    }

    @Test
    void flagsMoveJudgmentsToTheFlaggedQueueUntilLabelledAndTheSummaryReportsAgreement() {
        JudgeService.Outcome o = svc.judge(trainPlan(), new RubricJudge(), 1, TaskContext.none());
        List<JudgedPair> all = svc.judged(o.runId());
        svc.flag(all.get(0).id(), "ana", "discuss");
        assertEquals(Queue.FLAGGED, find(o.runId(), all.get(0).id()).queue("ana"));
        assertEquals(Queue.PENDING, find(o.runId(), all.get(0).id()).queue("ben"));
        // ana agrees with the judge on the first 10, ben on 8 of them
        for (int i = 0; i < 10; i++) {
            JudgedPair j = all.get(i);
            svc.override(j.id(), "ana", j.judgeVerdict(), null, false);
            Verdict other = i < 8 ? j.judgeVerdict() : j.judgeVerdict() == Verdict.TIE ? Verdict.A : Verdict.TIE;
            svc.override(j.id(), "ben", other, "disagree", true);
        }
        assertEquals(Queue.DONE, find(o.runId(), all.get(0).id()).queue("ana"), "labelling clears ana's flag");
        ReviewSummary s = svc.summary(o.runId());
        assertEquals(10, s.reviewed());
        assertEquals(1.0, s.judgeVsAnnotator().get("ana").estimate(), 1e-12);
        assertEquals(10, s.confusion().get("ben").n());
        assertEquals(8, s.confusion().get("ben").counts()[0][0] + s.confusion().get("ben").counts()[1][1]
                + s.confusion().get("ben").counts()[2][2]);
        assertTrue(s.judgeVsAnnotator().get("ben").estimate() < 1.0);
        assertFalse(Double.isNaN(s.annotatorsAlpha().estimate()));
        assertEquals(10, s.annotatorsAlpha().n());
    }

    @Test
    void editsAndBadRequestsArePairedOrRefusedWithClearMessages() {
        long spec = fx.ws.read(tx -> tx.specs().byRun(fx.runA)).get(0).id();
        String doc = fx.ws.read(tx -> tx.specs().get(spec)).orElseThrow().document();
        SpecService.saveEdit(fx.ws, spec, doc.replace("\"health\" : \"", "\"health\" : \"Edited. "), "ana");
        JudgeService.Plan edits = svc.plan(new JudgeService.Request("edits:" + fx.runA, null, 0));
        assertEquals(1, edits.pairs().size());
        assertEquals(spec, edits.pairs().get(0).specA());

        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> svc.plan(new JudgeService.Request("samples:" + fx.runA, null, 0)));
        assertTrue(none.getMessage().contains("no person has two samples"), none.getMessage());
        StoreException noRun = assertThrows(StoreException.class,
                () -> svc.plan(new JudgeService.Request(fx.runA + ":999", null, 0)));
        assertTrue(noRun.getMessage().contains("'999'"), noRun.getMessage());
        StoreException noSplit = assertThrows(StoreException.class,
                () -> svc.plan(new JudgeService.Request(fx.runA + ":" + fx.runB, "nope:train", 0)));
        assertTrue(noSplit.getMessage().contains("no split set named 'nope'"), noSplit.getMessage());
        assertEquals(5, svc.plan(new JudgeService.Request(fx.runA + ":" + fx.runB, null, 5)).pairs().size());
    }

    @Test
    void theBehaviouralJudgePrefersTheSpecWhoseAgentAnsweredLikeThePerson() {
        JudgeService.Plan plan = trainPlan();
        org.personalab.inventory.Inventory inv = org.personalab.inventory.Inventory.IPIP_NEO_120;
        var d = fx.ws.read(tx -> tx.datasets().find("syn")).orElseThrow();
        var sd = new DatasetService(fx.ws).load(d, TaskContext.none());
        long first = fx.ws.read(tx -> tx.datasets().respondentIds(d.id()))[0];
        // agents of run A answer exactly like their person; agents of run B one point off on every item
        fx.ws.write(tx -> {
            for (long specRun : new long[] {fx.runA, fx.runB}) {
                long sim = tx.runs().insertFinished("simulation", "sim of " + specRun, "{}", "{}", "{}",
                        java.time.Instant.now());
                tx.simAnswers().registerRun(new org.personalab.store.SimAnswerRepository.SimRun(sim, specRun, inv, 1,
                        "test", "none"));
                List<org.personalab.store.SimAnswerRepository.Answer> rows = new java.util.ArrayList<>();
                for (var spec : tx.specs().byRun(specRun)) {
                    byte[] real = org.personalab.eval.PersonTarget.rawAnswers(sd.responses(),
                            (int) (spec.respondentId() - first), inv);
                    for (int i = 0; i < real.length; i++) {
                        int v = real[i] == 0 ? 0 : specRun == fx.runA ? real[i] : real[i] < 5 ? real[i] + 1 : 4;
                        rows.add(new org.personalab.store.SimAnswerRepository.Answer(spec.id(), i + 1, 0, v,
                                v == 0 ? "unparseable" : "answered", i, null, null, 0, 0, false));
                    }
                }
                tx.simAnswers().insert(sim, rows);
            }
            return null;
        });
        var judge = svc.behaviouralJudge(plan, List.of());
        JudgeService.Outcome o = svc.judge(plan, judge, 1, TaskContext.none());
        for (JudgedPair j : svc.judged(o.runId())) {
            assertEquals(Verdict.A, j.judgeVerdict(), "person " + j.pair().respondentId());
            assertEquals(1.0, j.confidence(), 1e-12, "a gap of one answer point");
            assertTrue(j.consistent());
        }
        assertTrue(svc.run("latest").params().contains("simulationRunIds"), svc.run("latest").params());
        StoreException notSim = assertThrows(StoreException.class,
                () -> svc.behaviouralJudge(plan, List.of(o.runId())));
        assertTrue(notSim.getMessage().contains("not a simulation run"), notSim.getMessage());
    }

    @Test
    void theDemoGetsEditedSpecsAndAJudgingRunOfThemOnce() {
        JudgeService.Outcome o = svc.addDemoJudging("js:train", 12, TaskContext.none());
        List<JudgedPair> judged = svc.judged(o.runId());
        assertEquals(12, judged.size());
        long ties = judged.stream().filter(j -> j.judgeVerdict() == Verdict.TIE).count();
        long originalWins = judged.stream().filter(j -> j.judgeVerdict() == Verdict.A).count();
        assertEquals(3, ties, "every fourth edit changes only the wording");
        assertEquals(9, originalWins, "the original states the person's levels, the edits move some");
        assertTrue(judged.stream().allMatch(j -> fx.part("train").contains(j.pair().respondentId())));
        assertEquals(null, svc.addDemoJudging("js:train", 12, TaskContext.none()), "only once");
    }

    private JudgedPair find(long runId, long judgmentId) {
        return svc.judged(runId).stream().filter(x -> x.id() == judgmentId).findFirst().orElseThrow();
    }
}
