package org.personalab.ui.specs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.service.DemoWorkspace;
import org.personalab.service.SpecService;
import org.personalab.service.SplitSelection;
import org.personalab.service.UserSettings;
import org.personalab.store.Workspace;
import org.personalab.task.CurrentThreadTaskExecutor;
import org.personalab.ui.UiTestData;
import org.personalab.ui.WorkbenchContext;

/** Starting a generation run from the spec editor, over a copy of the demo workspace, without a window. */
class SpecGenerationViewModelTest {

    private Workspace ws;
    private SpecEditorViewModel editor;
    private SpecGenerationViewModel gen;

    @BeforeEach
    void open(@TempDir Path settings) {
        ws = Workspace.open(UiTestData.demoWorkspaceCopy());
        WorkbenchContext ctx = new WorkbenchContext(new CurrentThreadTaskExecutor(), WorkbenchContext.DIRECT,
                new UserSettings(settings));
        editor = new SpecEditorViewModel(ctx, 0);
        ctx.workspaceProperty().set(ws);
        editor.activate();
        gen = editor.generation();
        gen.refresh();
    }

    @AfterEach
    void close() {
        ws.close();
    }

    @Test
    void listsSplitPartsDatasetsAndEnginesAndPicksTheTestSplit() {
        assertTrue(gen.selections().containsAll(java.util.List.of(DemoWorkspace.SPLIT_SET + ":test",
                DemoWorkspace.SPLIT_SET + ":train", SpecGenerationViewModel.DATASET_PREFIX + DemoWorkspace.DATASET)),
                gen.selections().toString());
        assertEquals(DemoWorkspace.SPLIT_SET + ":test", gen.selectionProperty().get());
        assertEquals(SpecGenerationViewModel.TEMPLATE, gen.engines().get(0));
        assertTrue(gen.engines().stream().skip(1).allMatch(e -> e.indexOf(':') > 0),
                "the others are PROVIDER:MODEL of the configured providers: " + gen.engines());
    }

    @Test
    void aTemplateRunWritesASpecPerPersonOfThePartAndTheEditorShowsTheNewRun() {
        gen.estimate();
        assertTrue(gen.statusProperty().get().startsWith(DemoWorkspace.SPEC_PEOPLE + " template specs"),
                gen.statusProperty().get());
        int before = editor.runs().size();
        gen.start();
        assertFalse(gen.runningProperty().get());
        assertTrue(gen.statusProperty().get().contains(DemoWorkspace.SPEC_PEOPLE + " template specs"),
                gen.statusProperty().get());
        assertEquals(before + 1, editor.runs().size(), "the editor lists the new run");
        var run = SpecService.resolveRun(ws, SpecService.RUN_KIND, "latest");
        Set<Long> people = new HashSet<>();
        ws.read(tx -> tx.specs().byRun(run.id())).forEach(r -> people.add(r.respondentId()));
        Set<Long> part = new HashSet<>();
        for (long id : SplitSelection.resolve(ws, DemoWorkspace.SPLIT_SET + ":test").respondentIds()) {
            part.add(id);
        }
        assertEquals(part, people);
    }

    @Test
    void anUnknownProviderOrABadNumberIsExplainedAndNothingStarts() {
        gen.engineProperty().set("nosuchprovider:some-model");
        gen.estimate();
        assertTrue(gen.statusProperty().get().startsWith("Cannot estimate:"), gen.statusProperty().get());
        assertTrue(gen.statusProperty().get().contains("nosuchprovider"), gen.statusProperty().get());

        int runs = ws.read(tx -> tx.runs().list()).size();
        gen.engineProperty().set("openai:gpt-4o-mini");
        gen.temperatureProperty().set("warm");
        gen.start();
        assertFalse(gen.runningProperty().get());
        assertTrue(gen.statusProperty().get().contains("temperature 'warm'"), gen.statusProperty().get());
        assertEquals(runs, ws.read(tx -> tx.runs().list()).size(), "nothing was stored");
    }
}
