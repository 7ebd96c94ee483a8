package org.personalab.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.cluster.ClusterMembers;
import org.personalab.cluster.Clustering;
import org.personalab.cluster.FeatureSpec;
import org.personalab.cluster.KMeansParams;
import org.personalab.cluster.KSelection;
import org.personalab.data.Responses;
import org.personalab.data.SyntheticParameters;
import org.personalab.data.SyntheticPopulation;
import org.personalab.store.StoreException;
import org.personalab.store.Workspace;
import org.personalab.task.RunRecord;
import org.personalab.task.TaskContext;

class ClusterServiceTest {

    @TempDir
    Path dir;

    static Workspace workspaceWithPeople(Path dir, int people) {
        Workspace ws = Workspace.openOrCreate(dir.resolve("ws"));
        Responses r = SyntheticPopulation.generate(SyntheticParameters.bundled(), people, 5, TaskContext.none());
        new ImportService().importResponses(ws, r, "syn", "synthetic", "synthetic test people", Map.of(), 0,
                TaskContext.none());
        return ws;
    }

    @Test
    void aClusteringIsStoredWithItsExactFeaturesMetricsMembersAndRun() throws Exception {
        Workspace ws = workspaceWithPeople(dir, 2500);
        ClusterService svc = new ClusterService(ws);
        KMeansParams p = new KMeansParams(5, 2, 300, 1e-4, 7);
        ClusterService.Outcome o = svc.cluster(new ClusterService.Request("syn", null, FeatureSpec.DEFAULT, p,
                new Clustering.Options(500, 1, 2000)), TaskContext.none());
        assertEquals("syn-k5-s7", o.info().name());
        assertEquals(5, o.info().k());

        JsonNode features = Json.MAPPER.readTree(o.info().featuresJson());
        assertEquals(127, features.path("columns").size());
        assertEquals("country=other", features.path("columns").get(126).asText());
        assertEquals(features.path("countries").size() + 1, count(features.path("columns"), "country="));
        assertEquals("keyed", features.path("spec").path("items").asText());
        assertEquals(127, features.path("scale").size());
        assertEquals(FeatureSpec.DEFAULT, ClusterService.specOf(o.info()));

        JsonNode metrics = Json.MAPPER.readTree(o.info().metricsJson());
        assertEquals(o.result().kmeans().inertia(), metrics.path("inertia").asDouble(), 1e-6);
        assertEquals(5, metrics.path("sizes").size());
        assertEquals(1, metrics.path("stability").path("ari").size());
        assertEquals("seeds", metrics.path("stability").path("basis").asText());
        assertEquals(8, metrics.path("stability").path("seeds").get(0).asLong(), "the fit with seed + 1");
        assertTrue(metrics.path("silhouette").isNumber());
        assertTrue(metrics.path("pca").path("explained2d").asDouble() > 0);
        assertEquals(7, metrics.path("params").path("seed").asLong());

        ClusterMembers m = ws.read(tx -> tx.clusters().members(o.info().id()));
        assertEquals(2500, m.size());
        assertArrayEquals(o.result().kmeans().labels(), m.clusters());
        assertArrayEquals(o.result().kmeans().centroids(), ws.read(tx -> tx.clusters().centroids(o.info().id())));

        RunRecord run = ws.read(tx -> tx.runs().get(o.runId())).orElseThrow();
        assertEquals("clustering", run.kind());
        assertEquals(RunRecord.SUCCEEDED, run.status());
        assertTrue(run.params().contains("\"topCountries\":4"), run.params());
        assertEquals(o.info().id(), Json.MAPPER.readTree(run.outputs()).path("clusteringId").asLong());

        Path csv = dir.resolve("out/c.csv");
        svc.exportCsv(o.info(), csv, TaskContext.none());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("id,cluster,x,y", lines.get(0));
        assertEquals(2501, lines.size());
        String[] first = lines.get(1).split(",");
        assertEquals(o.data().responses().id(0), first[0]);
        assertEquals(o.result().kmeans().labels()[0], Integer.parseInt(first[1]));
        assertEquals(o.result().xy()[0], Float.parseFloat(first[2]), 1e-6);

        // same seed, same result (whichever way stability is measured); a taken name is refused and nothing more is
        // stored
        ClusterService.Outcome again = svc.cluster(new ClusterService.Request("syn", "again", FeatureSpec.DEFAULT,
                p, new Clustering.Options(500, 0, 2000)), TaskContext.none());
        assertArrayEquals(o.result().kmeans().labels(), again.result().kmeans().labels());
        assertArrayEquals(o.result().kmeans().centroids(), again.result().kmeans().centroids());
        JsonNode stability = Json.MAPPER.readTree(again.info().metricsJson()).path("stability");
        assertEquals("restarts", stability.path("basis").asText(), "no extra seeds: the restarts are compared");
        int kept = again.result().kmeans().bestRestart();
        assertEquals(1 - kept, stability.path("restarts").get(0).asInt(), "the other of the two restarts");
        assertEquals(again.result().kmeans().restartAgreement()[1 - kept], stability.path("ari").get(0).asDouble());
        assertTrue(ws.read(tx -> tx.runs().get(again.runId())).orElseThrow().params()
                .contains("\"stabilitySeeds\":0"));
        StoreException e = assertThrows(StoreException.class, () -> svc.cluster(new ClusterService.Request("syn",
                "again", FeatureSpec.DEFAULT, p, Clustering.Options.DEFAULT), TaskContext.none()));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertEquals(2, svc.list().size());
        assertThrows(StoreException.class, () -> svc.require("missing"));
    }

    private static int count(JsonNode cols, String prefix) {
        int c = 0;
        for (JsonNode n : cols) {
            c += n.asText().startsWith(prefix) ? 1 : 0;
        }
        return c;
    }

    @Test
    void kSelectionIsComputedAndRecordedAsARun() throws Exception {
        Workspace ws = workspaceWithPeople(dir, 1500);
        ClusterService svc = new ClusterService(ws);
        FeatureSpec spec = new FeatureSpec(FeatureSpec.Items.NONE, false, false, false, 0,
                FeatureSpec.Scores.DOMAINS, true);
        List<KSelection.Point> pts = svc.selectK("syn", spec, 2, 5, new KMeansParams(2, 2, 300, 1e-4, 1), 400,
                TaskContext.none());
        assertEquals(List.of(2, 3, 4, 5), pts.stream().map(KSelection.Point::k).toList());
        RunRecord run = ws.read(tx -> tx.runs().list()).stream().filter(r -> r.kind().equals("k-selection"))
                .findFirst().orElseThrow();
        JsonNode curve = Json.MAPPER.readTree(run.outputs()).path("curve");
        assertEquals(4, curve.size());
        assertEquals(pts.get(2).inertia(), curve.get(2).path("inertia").asDouble(), 1e-6);
        assertEquals("score:N", Json.MAPPER.readTree(run.outputs()).path("columns").get(0).asText());
    }
}
