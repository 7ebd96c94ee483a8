package org.personalab.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.cluster.SplitMembers;
import org.personalab.cluster.SplitSetInfo;
import org.personalab.store.Workspace;
import org.personalab.task.TaskContext;

class DemoWorkspaceTest {

    @Test
    void demoHasAClusteringAndADisjointTrainTestSplitAndRebuildingAddsNothing(@TempDir Path dir) {
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

        // template specs for exactly the test split
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

        int runs = ws.read(tx -> tx.runs().list()).size();
        DemoWorkspace.build(dir.resolve("demo"), TaskContext.none());
        assertEquals(runs, ws.read(tx -> tx.runs().list()).size(), "a second build stores nothing new");
    }
}
