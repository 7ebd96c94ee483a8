package org.personalab.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.cluster.ClusterMembers;
import org.personalab.cluster.Clustering;
import org.personalab.cluster.FeatureMatrix;
import org.personalab.cluster.FeatureSpec;
import org.personalab.cluster.KMeansParams;
import org.personalab.cluster.SplitMembers;
import org.personalab.cluster.SplitPlan;
import org.personalab.store.StoreException;
import org.personalab.store.Workspace;
import org.personalab.task.TaskContext;

class SplitServiceTest {

    @TempDir
    Path dir;

    Workspace ws;
    ClusterService.Outcome clustering;
    SplitService svc;

    @BeforeEach
    void setUp() {
        ws = ClusterServiceTest.workspaceWithPeople(dir, 2000);
        clustering = new ClusterService(ws).cluster(new ClusterService.Request("syn", "c4", FeatureSpec.DEFAULT,
                new KMeansParams(4, 2, 300, 1e-4, 3), new Clustering.Options(300, 0, 1000)), TaskContext.none());
        svc = new SplitService(ws);
    }

    private static Map<String, Integer> counts(String a, int va, String b, int vb) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put(a, va);
        m.put(b, vb);
        return m;
    }

    @Test
    void perClusterSplitsAreStoredDisjointStratifiedAndExported() throws Exception {
        SplitService.Outcome o = svc.split(new SplitService.Request("c4", "seedlike",
                new SplitPlan.PerCluster(counts("train", 100, "test", 50)), 42), TaskContext.none());
        assertEquals(Map.of("train", 400, "test", 200), o.sizes());
        SplitMembers m = ws.read(tx -> tx.splits().members(o.info().id()));
        assertEquals(600, m.size());
        Set<Long> seen = new HashSet<>();
        for (long id : m.respondentIds()) {
            assertTrue(seen.add(id), "person " + id + " once");
        }
        ClusterMembers cm = ws.read(tx -> tx.clusters().members(clustering.info().id()));
        Map<Long, Integer> clusterOf = new HashMap<>();
        for (int i = 0; i < cm.size(); i++) {
            clusterOf.put(cm.respondentIds()[i], cm.clusters()[i]);
        }
        int[][] per = new int[4][2];
        for (int i = 0; i < m.size(); i++) {
            per[clusterOf.get(m.respondentIds()[i])][m.splits()[i].equals("train") ? 0 : 1]++;
        }
        for (int[] c : per) {
            assertEquals(100, c[0]);
            assertEquals(50, c[1]);
        }
        JsonNode params = Json.MAPPER.readTree(o.info().paramsJson());
        assertEquals("per-cluster", params.path("plan").path("mode").asText());
        assertEquals(42, params.path("seed").asLong());
        assertEquals(clustering.info().id(), o.info().clusteringId());

        Path csv = dir.resolve("s.csv");
        svc.exportCsv(o.info(), csv, TaskContext.none());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("id,split", lines.get(0));
        assertEquals(601, lines.size());
        assertTrue(lines.get(1).matches("S\\d+,(train|test)"), lines.get(1));

        StoreException dup = assertThrows(StoreException.class, () -> svc.split(new SplitService.Request("c4",
                "seedlike", new SplitPlan.Fractions(Map.of("train", 0.5)), 1), TaskContext.none()));
        assertTrue(dup.getMessage().contains("already exists"));
    }

    @Test
    void representativesAreTheNearestPeopleInTheClusteringsOwnFeatureSpace() {
        SplitService.Outcome o = svc.split(new SplitService.Request("c4", "palign",
                new SplitPlan.Representatives("test", 3, "dev"), 0), TaskContext.none());
        assertEquals(Map.of("test", 12, "dev", 1988), o.sizes());
        FeatureMatrix f = ClusterService.features(clustering.data(), FeatureSpec.DEFAULT, TaskContext.none());
        float[] centroids = ws.read(tx -> tx.clusters().centroids(clustering.info().id()));
        int[] labels = clustering.result().kmeans().labels();
        SplitMembers m = ws.read(tx -> tx.splits().members(o.info().id()));
        long first = ws.read(tx -> tx.datasets().respondentIds(clustering.info().datasetId()))[0];
        boolean[] chosen = new boolean[f.rows()];
        for (int i = 0; i < m.size(); i++) {
            if (m.splits()[i].equals("test")) {
                chosen[(int) (m.respondentIds()[i] - first)] = true;
            }
        }
        for (int c = 0; c < 4; c++) {
            double worst = 0;
            double bestOther = Double.POSITIVE_INFINITY;
            for (int r = 0; r < f.rows(); r++) {
                if (labels[r] != c) {
                    continue;
                }
                double dd = 0;
                for (int j = 0; j < f.cols(); j++) {
                    double v = f.get(r, j) - centroids[c * f.cols() + j];
                    dd += v * v;
                }
                if (chosen[r]) {
                    worst = Math.max(worst, dd);
                } else {
                    bestOther = Math.min(bestOther, dd);
                }
            }
            assertTrue(worst <= bestOther, "cluster " + c);
        }
    }

    @Test
    void proportionalAndFractionSplitsMeetTheirSizes() {
        SplitService.Outcome p = svc.split(new SplitService.Request("c4", "prop",
                new SplitPlan.Proportional(counts("train", 700, "test", 300)), 9), TaskContext.none());
        assertEquals(Map.of("train", 700, "test", 300), p.sizes());
        Map<String, Double> fr = new LinkedHashMap<>();
        fr.put("train", 0.75);
        fr.put("test", 0.25);
        SplitService.Outcome f = svc.split(new SplitService.Request("c4", null, new SplitPlan.Fractions(fr), 9),
                TaskContext.none());
        assertEquals("c4-split-s9", f.info().name());
        assertEquals(2000, f.sizes().values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(2, svc.list().size());
        assertThrows(StoreException.class, () -> svc.split(new SplitService.Request("nope", "x",
                new SplitPlan.Fractions(fr), 1), TaskContext.none()));
    }
}
