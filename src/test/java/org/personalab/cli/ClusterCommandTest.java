package org.personalab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.data.Responses;
import org.personalab.data.SyntheticParameters;
import org.personalab.data.SyntheticPopulation;
import org.personalab.service.ImportService;
import org.personalab.store.Workspace;
import org.personalab.task.TaskContext;

/** The clustering and split commands end to end on a workspace of synthetic people. */
class ClusterCommandTest {

    @TempDir
    Path dir;

    Path ws;

    @BeforeEach
    void workspace() {
        ws = dir.resolve("ws");
        Workspace w = Workspace.openOrCreate(ws);
        Responses r = SyntheticPopulation.generate(SyntheticParameters.bundled(), 1200, 3, TaskContext.none());
        new ImportService().importResponses(w, r, "syn", "synthetic", "test people", Map.of(), 0,
                TaskContext.none());
    }

    @Test
    void clusterThenSplitWritesTheirCsvFiles() throws Exception {
        Path c = dir.resolve("clusters.csv");
        CliTestSupport.Result r = CliTestSupport.run("cluster", "--workspace", ws.toString(), "--dataset", "syn",
                "--k", "4", "--seed", "5", "--n-init", "2", "--stability-seeds", "1", "--out", c.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("into 4 clusters as 'syn-k4-s5'"), r.out());
        assertTrue(r.out().contains("features: 127 columns"), r.out());
        List<String> lines = Files.readAllLines(c);
        assertEquals("id,cluster,x,y", lines.get(0));
        assertEquals(1201, lines.size());
        Set<String> clusters = new HashSet<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            assertEquals(4, f.length, l);
            clusters.add(f[1]);
            Float.parseFloat(f[2]);
            Float.parseFloat(f[3]);
        }
        assertEquals(Set.of("0", "1", "2", "3"), clusters);

        Path s = dir.resolve("split.csv");
        CliTestSupport.Result sp = CliTestSupport.run("split", "--workspace", ws.toString(), "--clustering",
                "syn-k4-s5", "--name", "tt", "--per-cluster", "train=50,test=25", "--out", s.toString());
        assertEquals(0, sp.code(), sp.err());
        assertTrue(sp.out().contains("{train=200, test=100}"), sp.out());
        List<String> rows = Files.readAllLines(s);
        assertEquals("id,split", rows.get(0));
        assertEquals(301, rows.size());
        assertEquals(300, rows.stream().skip(1).map(l -> l.split(",")[0]).distinct().count());

        Path rep = dir.resolve("rep.csv");
        CliTestSupport.Result rp = CliTestSupport.run("split", "--workspace", ws.toString(), "--clustering",
                "syn-k4-s5", "--name", "palign", "--representatives", "test", "--rest", "dev", "--out",
                rep.toString());
        assertEquals(0, rp.code(), rp.err());
        assertEquals(4, Files.readAllLines(rep).stream().filter(l -> l.endsWith(",test")).count());
    }

    @Test
    void kSelectionPrintsTheCurve() {
        CliTestSupport.Result r = CliTestSupport.run("cluster", "--workspace", ws.toString(), "--dataset", "syn",
                "--select-k", "2..4", "--n-init", "1", "--scores", "domains", "--items", "none", "--no-sex",
                "--no-age", "--no-country");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("k,inertia,silhouette,iterations", lines.get(0));
        assertEquals(4, lines.size());
        assertTrue(lines.get(3).startsWith("4,"), lines.get(3));
    }

    @Test
    void badInputGetsAClearMessage() {
        CliTestSupport.Result noDataset = CliTestSupport.run("cluster", "--workspace", ws.toString(), "--dataset",
                "nope", "--k", "3", "--out", dir.resolve("x.csv").toString());
        assertEquals(1, noDataset.code());
        assertTrue(noDataset.err().contains("no dataset named 'nope'"), noDataset.err());
        CliTestSupport.Result badItems = CliTestSupport.run("cluster", "--workspace", ws.toString(), "--dataset",
                "syn", "--k", "3", "--items", "bogus", "--out", dir.resolve("x.csv").toString());
        assertEquals(1, badItems.code());
        assertTrue(badItems.err().contains("--items must be one of"), badItems.err());
        CliTestSupport.Result noK = CliTestSupport.run("cluster", "--workspace", ws.toString(), "--dataset", "syn");
        assertEquals(2, noK.code());
        CliTestSupport.Result twoModes = CliTestSupport.run("split", "--workspace", ws.toString(), "--clustering",
                "x", "--sizes", "a=1", "--fractions", "b=0.5", "--out", dir.resolve("y.csv").toString());
        assertEquals(2, twoModes.code());
        CliTestSupport.Result noClustering = CliTestSupport.run("split", "--workspace", ws.toString(),
                "--clustering", "x", "--sizes", "a=1", "--out", dir.resolve("y.csv").toString());
        assertEquals(1, noClustering.code());
        assertTrue(noClustering.err().contains("no clustering named 'x'"), noClustering.err());
        assertTrue(Files.notExists(dir.resolve("x.csv")) && Files.notExists(dir.resolve("y.csv")));
    }

    @Test
    void theBenchRunsSmallScenariosWithoutTheReference() {
        CliTestSupport.Result r = CliTestSupport.run("bench", "cluster", "--scenario", "restarts", "--people",
                "1500", "--k", "3", "--n-init", "2", "--no-sklearn");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("[restarts] 1,500 people × 127 features, k = 3, n_init = 2"), r.out());
        assertTrue(r.out().contains("PersonaLab fit 1:"), r.out());
    }
}
