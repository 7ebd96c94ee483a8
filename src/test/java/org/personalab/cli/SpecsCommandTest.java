package org.personalab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.data.DatasetInfo;
import org.personalab.profile.Profile;
import org.personalab.profile.ScoredDataset;
import org.personalab.service.DatasetService;
import org.personalab.service.DemoWorkspace;
import org.personalab.service.SpecService;
import org.personalab.spec.AgentFile;
import org.personalab.spec.Finding;
import org.personalab.spec.SpecProvenance;
import org.personalab.spec.SpecValidator;
import org.personalab.spec.TinyTroupeFiles;
import org.personalab.store.Workspace;
import org.personalab.task.TaskContext;

class SpecsCommandTest {

    @TempDir
    Path dir;

    @Test
    void templateSpecsAreGeneratedStoredExportedAndValid() throws Exception {
        Path ws = dir.resolve("demo");
        DemoWorkspace.build(ws, TaskContext.none());
        CliTestSupport.Result g = CliTestSupport.run("specs", "generate", "--workspace", ws.toString(), "--dataset",
                DemoWorkspace.DATASET, "--engine", "template", "--limit", "40");
        assertEquals(0, g.code(), g.err());
        assertTrue(g.out().contains(": 40 template specs for demo-synthetic"), g.out());
        // the demo itself already holds template specs for its test and train parts
        assertEquals(3, Workspace.open(ws).read(tx -> tx.runs().list()).stream()
                .filter(r -> r.kind().equals(SpecService.RUN_KIND)).count());
        assertTrue(g.out().contains("0 specs with validation errors"), g.out());

        Path out = dir.resolve("agents");
        CliTestSupport.Result e = CliTestSupport.run("specs", "export", "--workspace", ws.toString(), "--run",
                "latest", "--out", out.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("Exported 40 specs"), e.out());

        List<AgentFile> files = TinyTroupeFiles.readFolder(out);
        assertEquals(40, files.size());
        Workspace w = Workspace.open(ws);
        DatasetInfo d = w.read(tx -> tx.datasets().find(DemoWorkspace.DATASET)).orElseThrow();
        ScoredDataset sd = new DatasetService(w).load(d, TaskContext.none());
        long first = w.read(tx -> tx.datasets().respondentIds(d.id()))[0];
        for (Path f : java.nio.file.Files.list(out).toList()) {
            AgentFile af = TinyTroupeFiles.read(f);
            String name = f.getFileName().toString();
            long respondent = Long.parseLong(name.substring(name.lastIndexOf('-') + 1, name.indexOf(".agent.json")));
            Profile p = Profile.of(sd, (int) (respondent - first));
            List<Finding> findings = new SpecValidator().validate(af.spec(), p);
            assertTrue(!SpecValidator.hasErrors(findings), f + ": " + findings);
            assertEquals(SpecProvenance.TEMPLATE_ENGINE, af.provenance().engine());
        }
        // an edit is a new version with its author, pointing at the original
        var original = w.read(tx -> tx.specs().byRun(SpecService.resolveRun(w, SpecService.RUN_KIND, "latest").id()))
                .get(0);
        String edited = original.document().replace("\"health\"", "\"health\"");
        long v2 = SpecService.saveEdit(w, original.id(), edited, "ana");
        var history = SpecService.history(w, v2);
        assertEquals(List.of(original.id(), v2), history.stream().map(r -> r.id()).toList());
        assertEquals("ana", history.get(1).author());
        org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> SpecService.saveEdit(w, original.id(), "{not json", "ana"));

        CliTestSupport.Result bad = CliTestSupport.run("specs", "export", "--workspace", ws.toString(), "--run",
                "nope", "--out", out.toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("no spec_generation run named 'nope'"), bad.err());
    }
}
