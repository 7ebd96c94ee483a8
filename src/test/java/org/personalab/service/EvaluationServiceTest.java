package org.personalab.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.eval.AgentScores;
import org.personalab.eval.Baseline;
import org.personalab.eval.Comparison;
import org.personalab.eval.Estimate;
import org.personalab.eval.Metric;
import org.personalab.eval.ScaleMatrix;
import org.personalab.eval.ScaleMetric;
import org.personalab.eval.SummaryRow;
import org.personalab.inventory.Scale;
import org.personalab.store.StoreException;
import org.personalab.task.RunRecord;
import org.personalab.task.TaskContext;

class EvaluationServiceTest {

    @TempDir
    static Path dir;

    static EvaluationTestData data;
    static long perfect;
    static long inverted;
    static EvaluationService svc;
    static EvaluationService.Outcome outcome;

    @BeforeAll
    static void setUp() {
        data = EvaluationTestData.create(dir);
        // 30 agents copy their person; agent 0 also fails to answer items 1-10 (unparseable)
        perfect = data.simulate("test:copy", 30, (p, item, agent) -> agent == 0 && item < 10 ? 0
                : EvaluationTestData.copy(p));
        // 25 agents on the same people answer on the inverted scale (the seed's A = 1 bug)
        inverted = data.simulate("test:inverted", 25, (p, item, agent) -> 6 - EvaluationTestData.copy(p));
        svc = new EvaluationService(data.ws);
        outcome = svc.evaluate(EvaluationService.Request.of(perfect, inverted), TaskContext.none());
    }

    private static SummaryRow row(String key) {
        return outcome.summary().stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void copyingAgentsAreExactAndMissingAnswersAreNotScored() {
        List<AgentScores> agents = outcome.main().source().agents();
        assertEquals(30, agents.size());
        assertEquals(30, outcome.main().persons().size());
        for (AgentScores a : agents) {
            assertEquals(1.0, a.get(Metric.EXACT_ACCURACY), a.toString());
            assertEquals(0.0, a.get(Metric.MAD), a.toString());
        }
        AgentScores first = agents.stream().filter(a -> a.specId() == data.specs.get(0).id()).findFirst()
                .orElseThrow();
        assertEquals(110.0 / 120, first.get(Metric.ANSWERED_RATE), 1e-12);
        assertEquals(10.0 / 120, first.get(Metric.UNPARSEABLE_RATE), 1e-12);
        assertEquals(0.0, agents.get(5).get(Metric.UNPARSEABLE_RATE));
        assertEquals(data.scored.responses().id((int) (data.specs.get(0).respondentId()
                - data.ws.read(tx -> tx.datasets().respondentIds(data.dataset.id()))[0])), first.id());
        assertEquals(10 * 1, outcome.main().counts().unparseable());
    }

    @Test
    void baselinesAreEvaluatedOnTheSamePeopleBesideTheRuns() {
        List<String> keys = outcome.summary().stream().map(SummaryRow::key).toList();
        assertEquals(List.of("run:" + perfect, "run:" + inverted, "baseline:uniform_random",
                "baseline:population_mode", "baseline:cohort_mean", "baseline:profile_mode",
                "baseline:profile_median"), keys);
        Estimate chance = row(Baseline.UNIFORM_RANDOM.source()).get(Metric.EXACT_ACCURACY);
        assertEquals(0.2, chance.mean(), 1e-15);
        assertEquals(0.2, chance.low(), 1e-15);
        assertEquals(0.2, chance.high(), 1e-15);
        assertEquals(30, row(Baseline.PROFILE_MODE.source()).agents());
        // the ceiling knows the levels, the population mode does not; both are far from a copying agent
        double ceiling = row(Baseline.PROFILE_MODE.source()).get(Metric.FACET_LEVEL_AGREEMENT).mean();
        double chanceLevels = row(Baseline.UNIFORM_RANDOM.source()).get(Metric.FACET_LEVEL_AGREEMENT).mean();
        assertTrue(ceiling > chanceLevels, ceiling + " vs " + chanceLevels);
        double ceilingMad = row(Baseline.PROFILE_MEDIAN.source()).get(Metric.MAD).mean();
        double modeMad = row(Baseline.POPULATION_MODE.source()).get(Metric.MAD).mean();
        assertTrue(ceilingMad < modeMad, ceilingMad + " vs " + modeMad);
        Estimate inv = row("run:" + inverted).get(Metric.MAD);
        assertTrue(inv.mean() > row(Baseline.UNIFORM_RANDOM.source()).get(Metric.MAD).mean(),
                "an inverted scale is worse than chance on MAD: " + inv);
    }

    @Test
    void theRunsArePairedOnTheirSharedPeople() {
        Comparison c = outcome.comparisons().stream().filter(x -> x.b().equals("run:" + inverted)
                && x.metric() == Metric.EXACT_ACCURACY).findFirst().orElseThrow();
        assertEquals(25, c.result().n());
        assertTrue(c.result().meanDifference() > 0.5, c.toString());
        assertTrue(c.result().permutationP() < 0.001, c.toString());
        assertTrue(c.result().wilcoxonP() < 0.001, c.toString());
        assertEquals(1.0, c.result().rankBiserial());
        assertEquals("run:" + perfect, c.favours());
        assertTrue(outcome.comparisons().stream().anyMatch(x -> x.b().equals(Baseline.UNIFORM_RANDOM.source())
                && x.metric() == Metric.MAD && x.result().n() == 30));
    }

    @Test
    void theEvaluationIsStoredAsARunWithItsInputsAndReadsBack() throws Exception {
        RunRecord r = data.ws.read(tx -> tx.runs().get(outcome.runId())).orElseThrow();
        assertEquals(EvaluationService.RUN_KIND, r.kind());
        assertEquals(RunRecord.SUCCEEDED, r.status());
        JsonNode in = Json.MAPPER.readTree(r.inputs());
        assertEquals(perfect, in.path("simulationRunId").asLong());
        assertEquals(inverted, in.path("vsRunId").asLong());
        assertEquals(data.specRunId, in.path("specRunId").asLong());
        assertEquals(data.dataset.id(), in.path("datasetId").asLong());
        assertEquals(data.dataset.normSetId(), in.path("normSetId").asLong());
        JsonNode params = Json.MAPPER.readTree(r.params());
        assertEquals(42, params.path("seed").asLong());
        assertEquals(2000, params.path("resamples").asInt());

        List<SummaryRow> stored = svc.summary(outcome.runId());
        assertEquals(outcome.summary().size(), stored.size());
        for (int i = 0; i < stored.size(); i++) {
            for (Metric m : Metric.values()) {
                Estimate a = outcome.summary().get(i).get(m);
                Estimate b = stored.get(i).get(m);
                assertEquals(a.n(), b.n(), m.column());
                assertEquals(a.mean(), b.mean(), 0.0, m.column());
                assertEquals(a.low(), b.low(), 0.0, m.column());
            }
        }
        ScaleMatrix h = svc.heatmap(outcome.runId(), ScaleMetric.LEVEL_AGREEMENT);
        ScaleMatrix computed = outcome.heatmaps().get(ScaleMetric.LEVEL_AGREEMENT);
        assertEquals(computed.keys(), h.keys());
        assertEquals(Scale.COUNT, h.columns().size());
        // copying agents agree on nearly every level; agent 0 lost item 1 (N1), so its N1 score may differ
        double n1 = outcome.main().source().agents().stream()
                .mapToDouble(a -> a.scale(ScaleMetric.LEVEL_AGREEMENT, Scale.N1)).filter(x -> !Double.isNaN(x))
                .average().orElseThrow();
        assertEquals(n1, h.cell("run:" + perfect, Scale.N1).mean(), 1e-12);
        assertTrue(h.cell("run:" + perfect, Scale.N1).mean() >= 29.0 / 30);
        assertEquals(computed.cell(Baseline.PROFILE_MODE.source(), Scale.O), h.cell(Baseline.PROFILE_MODE.source(),
                Scale.O));
        assertTrue(svc.list().stream().map(RunRecord::id).toList().contains(outcome.runId()));
        StoreException notEval = assertThrows(StoreException.class, () -> svc.heatmap(perfect,
                ScaleMetric.LEVEL_AGREEMENT));
        assertTrue(notEval.getMessage().contains("not an evaluation"), notEval.getMessage());
    }

    @Test
    void theCsvFilesAreWrittenBesideEachOther() throws Exception {
        Path out = dir.resolve("out/eval.csv");
        EvaluationService.Files f = EvaluationService.write(outcome, out);
        List<String> agents = Files.readAllLines(out);
        assertEquals(31, agents.size());
        assertTrue(agents.get(0).startsWith("id,exact_accuracy,within_one_accuracy,mad,"));
        assertEquals(dir.resolve("out/eval-summary.csv"), f.summary());
        List<String> summary = Files.readAllLines(f.summary());
        assertEquals(1 + 7 * Metric.COUNT, summary.size());
        assertTrue(summary.stream().anyMatch(l -> l.startsWith("baseline:uniform_random,Uniform random (chance),"
                + "exact_accuracy,fraction,30,0.2,0.2,0.2")), String.join("\n", summary));
        assertTrue(Files.readString(f.comparisons()).contains("run:" + perfect + ",run:" + inverted
                + ",exact_accuracy,25,"));
        try (var s = Files.list(out.getParent())) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "no temporary files left");
        }
    }

    @Test
    void runsAreResolvedWithClearErrors() {
        assertEquals(inverted, svc.resolveRun("latest"));
        assertEquals(perfect, svc.resolveRun(" " + perfect));
        StoreException notSim = assertThrows(StoreException.class, () -> svc.resolveRun("" + data.specRunId));
        assertTrue(notSim.getMessage().contains("not a simulation run") && notSim.getMessage().contains(
                "spec_generation"), notSim.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> svc.resolveRun("abc"));
        assertTrue(bad.getMessage().contains("'abc'"), bad.getMessage());
        long empty = data.ws.write(tx -> {
            long run = tx.runs().insertFinished("simulation", "empty", "{}", "{}", "{}", java.time.Instant.now());
            tx.simAnswers().registerRun(new org.personalab.store.SimAnswerRepository.SimRun(run, data.specRunId,
                    data.inventory(), 1, "test:none", "none"));
            return run;
        });
        StoreException none = assertThrows(StoreException.class, () -> svc.evaluate(
                EvaluationService.Request.of(empty, 0), TaskContext.none()));
        assertTrue(none.getMessage().contains("no answers"), none.getMessage());
    }

    @Test
    void withoutASecondRunOnlyTheBaselinesAreCompared() {
        EvaluationService.Outcome o = svc.evaluate(new EvaluationService.Request(inverted, 0, 7, 500, 5, 3, 1000),
                TaskContext.none());
        assertNull(o.vs());
        assertEquals(6, o.summary().size());
        assertTrue(o.comparisons().stream().allMatch(c -> c.b().startsWith("baseline:")));
        // an inverted scale: exact accuracy where the person answered 3 only, far below the profile ceiling
        double exact = o.summary().get(0).get(Metric.EXACT_ACCURACY).mean();
        double ceiling = o.summary().stream().filter(r -> r.key().equals(Baseline.PROFILE_MODE.source()))
                .findFirst().orElseThrow().get(Metric.EXACT_ACCURACY).mean();
        assertTrue(exact < ceiling, exact + " vs ceiling " + ceiling);
    }
}
