package org.personalab.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.cluster.Clustering;
import org.personalab.cluster.FeatureSpec;
import org.personalab.cluster.KMeansParams;
import org.personalab.cluster.SplitMembers;
import org.personalab.cluster.SplitPlan;
import org.personalab.cluster.SplitSetInfo;
import org.personalab.data.SyntheticParameters;
import org.personalab.data.SyntheticPopulation;
import org.personalab.judge.JudgedPair;
import org.personalab.judge.LeakageGuard;
import org.personalab.judge.TrainingRecords.Kind;
import org.personalab.store.Workspace;
import org.personalab.task.RunRecord;
import org.personalab.task.TaskContext;

class DemoWorkspaceTest {

    @Test
    void demoHasAClusteringAndADisjointTrainTestSplitAndRebuildingAddsNothing(@TempDir Path dir) throws IOException {
        Workspace ws = DemoWorkspace.build(dir.resolve("demo"), TaskContext.none());
        var clusterings = new ClusterService(ws).list();
        assertEquals(1, clusterings.size());
        assertEquals(DemoWorkspace.CLUSTERING, clusterings.get(0).name());

        SplitSetInfo set = new SplitService(ws).require(DemoWorkspace.SPLIT_SET);
        SplitMembers m = ws.read(tx -> tx.splits().members(set.id()));
        Set<Long> test = new HashSet<>();
        Set<Long> train = new HashSet<>();
        for (int i = 0; i < m.size(); i++) {
            (m.splits()[i].equals("test") ? test : train).add(m.respondentIds()[i]);
        }
        assertEquals(DemoWorkspace.CLUSTERS * DemoWorkspace.TEST_PER_CENTROID, test.size());
        assertEquals(DemoWorkspace.PEOPLE - test.size(), train.size(), "everyone else is in train");
        assertTrue(test.stream().noneMatch(train::contains), "a person is in one split only");

        // template specs for exactly the test split: the spec run "latest" names
        var specRun = SpecService.resolveRun(ws, SpecService.RUN_KIND, "latest");
        Set<Long> specPeople = new HashSet<>();
        ws.read(tx -> tx.specs().byRun(specRun.id())).forEach(r -> specPeople.add(r.respondentId()));
        assertEquals(test, specPeople);

        // the offline experiment: psychometric answers evaluated with every baseline beside them
        EvaluationService ev = new EvaluationService(ws);
        var evaluation = ev.list().get(0);
        var summary = ev.summary(evaluation.id());
        var run = summary.stream().filter(r -> r.key().startsWith("run:")).findFirst().orElseThrow();
        var chance = summary.stream().filter(r -> r.key().equals("baseline:uniform_random")).findFirst()
                .orElseThrow();
        assertEquals(test.size(), run.agents());
        assertTrue(summary.size() >= 5, "the run and at least four baselines: " + summary);
        double exact = run.get(org.personalab.eval.Metric.EXACT_ACCURACY).mean();
        assertEquals(0.2, chance.get(org.personalab.eval.Metric.EXACT_ACCURACY).mean(), 1e-9);
        assertTrue(exact > 0.4, "the psychometric respondent is well above chance: " + exact);

        // training data: template specs for the lowest-id train people, their edits judged, all in the train part
        RunRecord trainSpecs = DemoWorkspace.trainSpecRun(ws);
        long[] expected = Arrays.copyOf(train.stream().mapToLong(Long::longValue).sorted().toArray(),
                DemoWorkspace.TRAIN_SPEC_PEOPLE);
        long[] trainSpecPeople = ws.read(tx -> tx.specs().byRun(trainSpecs.id())).stream()
                .filter(r -> r.parentId() <= 0).mapToLong(r -> r.respondentId()).sorted().toArray();
        assertTrue(Arrays.equals(expected, trainSpecPeople), "the train part's lowest ids");
        assertTrue(trainSpecs.id() < specRun.id(), "the train part's spec run is older than the test part's");
        JudgeService judges = new JudgeService(ws);
        RunRecord trainJudging = judges.latestOver(DemoWorkspace.TRAIN_PART).orElseThrow();
        List<JudgedPair> trainPairs = judges.judged(trainJudging.id());
        assertEquals(DemoWorkspace.TRAIN_SPEC_PEOPLE, trainPairs.size());
        assertTrue(trainPairs.stream().allMatch(p -> train.contains(p.pair().respondentId())));
        RunRecord testJudging = judges.run("latest");
        assertEquals(DemoWorkspace.JUDGED_PEOPLE, judges.judged(testJudging.id()).size(),
                "the test part's judging is the newest, for the review panel");
        assertTrue(judges.judged(testJudging.id()).stream().allMatch(p -> test.contains(p.pair().respondentId())));

        // the train judging exports to non-empty SFT and DPO files; the test judging is refused by the guard
        PreferenceExport export = new PreferenceExport(judges);
        for (Kind kind : Kind.values()) {
            Path out = dir.resolve("export").resolve(kind.code() + ".jsonl");
            var o = export.export(new PreferenceExport.Request(kind, Long.toString(trainJudging.id()), out,
                    PreferenceExport.Weight.NONE, null), TaskContext.none());
            assertTrue(o.records() > DemoWorkspace.TRAIN_SPEC_PEOPLE / 2, kind + ": " + o.counts());
            assertEquals(o.records(), Files.readAllLines(out).size());
            JsonNode manifest = Json.MAPPER.readTree(o.manifest().toFile());
            assertEquals(trainJudging.id(), manifest.at("/judgingRun/id").asLong());
            assertTrue(manifest.at("/leakageGuard/guardedPeople").asInt() >= test.size());
        }
        assertThrows(LeakageGuard.LeakageException.class, () -> export.export(new PreferenceExport.Request(Kind.SFT,
                Long.toString(testJudging.id()), dir.resolve("refused.jsonl"), PreferenceExport.Weight.NONE, null),
                TaskContext.none()));

        int runs = ws.read(tx -> tx.runs().list()).size();
        DemoWorkspace.build(dir.resolve("demo"), TaskContext.none());
        assertEquals(runs, ws.read(tx -> tx.runs().list()).size(), "a second build stores nothing new");
    }

    /**
     * A demo built before the train part existed (dataset, clustering, split, test specs and their judging; here a
     * smaller population to keep it quick) gets the missing stages on its next build, the train part included,
     * without a second test spec run or test judging.
     */
    @Test
    void anOlderDemoWithoutTheTrainPartGetsItOnTheNextBuild(@TempDir Path dir) {
        Workspace ws = Workspace.openOrCreate(dir.resolve("demo"));
        int people = 1_000;
        new ImportService().importResponses(ws, SyntheticPopulation.generate(SyntheticParameters.bundled(), people,
                DemoWorkspace.SEED, TaskContext.none()), DemoWorkspace.DATASET, "synthetic", "older demo",
                new LinkedHashMap<>(), 0, TaskContext.none());
        new ClusterService(ws).cluster(new ClusterService.Request(DemoWorkspace.DATASET, DemoWorkspace.CLUSTERING,
                FeatureSpec.DEFAULT, KMeansParams.of(DemoWorkspace.CLUSTERS, DemoWorkspace.SEED),
                Clustering.Options.DEFAULT), TaskContext.none());
        new SplitService(ws).split(new SplitService.Request(DemoWorkspace.CLUSTERING, DemoWorkspace.SPLIT_SET,
                new SplitPlan.Representatives("test", DemoWorkspace.TEST_PER_CENTROID, "train"), DemoWorkspace.SEED),
                TaskContext.none());
        long oldSpecs = SpecService.generateTemplate(ws, SplitSelection.resolve(ws, DemoWorkspace.TEST_PART), 0,
                TaskContext.none()).runId();
        long oldJudging = new JudgeService(ws).addDemoJudging(DemoWorkspace.TEST_PART, 20, TaskContext.none())
                .runId();

        DemoWorkspace.build(dir.resolve("demo"), TaskContext.none());
        List<RunRecord> runs = ws.read(tx -> tx.runs().list());
        List<Long> specRuns = runs.stream().filter(r -> r.kind().equals(SpecService.RUN_KIND)).map(RunRecord::id)
                .toList();
        RunRecord trainSpecs = DemoWorkspace.trainSpecRun(ws);
        assertEquals(Set.of(oldSpecs, trainSpecs.id()), new HashSet<>(specRuns), "one new spec run: the train part's");
        JudgeService judges = new JudgeService(ws);
        assertEquals(oldJudging, judges.latestOver(DemoWorkspace.TEST_PART).orElseThrow().id());
        RunRecord trainJudging = judges.latestOver(DemoWorkspace.TRAIN_PART).orElseThrow();
        assertEquals(2, judges.runs().size());
        assertEquals(DemoWorkspace.TRAIN_SPEC_PEOPLE, judges.judged(trainJudging.id()).size());
        RunRecord sim = runs.stream().filter(r -> r.kind().equals(SimulationService.RUN_KIND)).findFirst()
                .orElseThrow();
        assertTrue(sim.inputs().contains("\"specRunId\":" + oldSpecs), "the experiment runs on the test specs: "
                + sim.inputs());
    }
}
