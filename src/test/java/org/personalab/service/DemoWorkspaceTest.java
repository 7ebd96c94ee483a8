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

        int runs = ws.read(tx -> tx.runs().list()).size();
        DemoWorkspace.build(dir.resolve("demo"), TaskContext.none());
        assertEquals(runs, ws.read(tx -> tx.runs().list()).size(), "a second build stores nothing new");
    }
}
