package org.personalab.ui.specs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.data.DatasetInfo;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Facet;
import org.personalab.inventory.Level;
import org.personalab.profile.Profile;
import org.personalab.profile.PromptContext;
import org.personalab.profile.ScoredDataset;
import org.personalab.service.DatasetService;
import org.personalab.service.DemoWorkspace;
import org.personalab.service.SpecService;
import org.personalab.service.UserSettings;
import org.personalab.spec.Finding;
import org.personalab.spec.SpecProvenance;
import org.personalab.spec.TinyTroupeFiles;
import org.personalab.store.SpecRepository.SpecRow;
import org.personalab.store.Workspace;
import org.personalab.task.CurrentThreadTaskExecutor;
import org.personalab.task.TaskContext;
import org.personalab.ui.UiTestData;
import org.personalab.ui.WorkbenchContext;

/** The spec editor's ViewModel over a copy of the demo workspace, without a window: every task runs at once. */
class SpecEditorViewModelTest {

    private Workspace ws;
    private WorkbenchContext ctx;
    private SpecEditorViewModel vm;

    @BeforeEach
    void open(@TempDir Path settings) {
        ws = Workspace.open(UiTestData.demoWorkspaceCopy()); // built once per JVM with DemoWorkspace.build
        ctx = new WorkbenchContext(new CurrentThreadTaskExecutor(), WorkbenchContext.DIRECT,
                new UserSettings(settings));
        vm = new SpecEditorViewModel(ctx, 0);
        ctx.workspaceProperty().set(ws);
        assertTrue(vm.runs().isEmpty(), "nothing is read before the panel is shown");
        vm.activate();
    }

    @AfterEach
    void close() {
        ws.close();
    }

    private String bigFivePath(Domain d) {
        return "$.persona.personality.big_five." + PromptContext.key(d);
    }

    private List<Finding> findingsAt(String path) {
        return vm.findings().stream().filter(f -> f.jsonPath().equals(path)).toList();
    }

    @Test
    void opensTheLatestRunWithOneTemplateSpecPerPersonAndTheirTargets() {
        assertEquals(2, vm.runs().size(), "the demo's test-part specs and, older, its train-part specs");
        assertEquals(SpecService.RUN_KIND, vm.selectedRunProperty().get().kind());
        assertEquals(DemoWorkspace.SPEC_PEOPLE, vm.specs().size());
        SpecEntry first = vm.specs().get(0);
        assertEquals(first, vm.selectedSpecProperty().get());
        DatasetInfo info = ws.read(tx -> tx.datasets().find(DemoWorkspace.DATASET)).orElseThrow();
        ScoredDataset data = new DatasetService(ws).load(info, TaskContext.none());
        long[] ids = ws.read(tx -> tx.datasets().respondentIds(info.id()));
        int row = (int) (first.respondentId() - ids[0]); // the demo's specs are for its test split
        assertTrue(row >= 0 && row < ids.length);
        assertEquals(data.responses().id(row), first.personId());
        assertEquals(SpecProvenance.TEMPLATE_ENGINE, first.source());
        assertEquals(1, first.versions());

        SpecRow stored = ws.read(tx -> tx.specs().get(first.latestSpecId())).orElseThrow();
        assertEquals(stored.document(), vm.documentProperty().get());
        assertFalse(vm.dirtyProperty().get());
        assertFalse(vm.readOnlyProperty().get());
        assertEquals(1, vm.versions().size());
        assertEquals(TinyTroupeFiles.parse(stored.document()).spec().name(), first.agentName());
        assertEquals(first.agentName(), vm.field(SpecEditorViewModel.Field.NAME).get());
        assertTrue(vm.templateEngineProperty().get());
        assertTrue(vm.engineNoteProperty().get().contains("offline rule-based template engine"),
                vm.engineNoteProperty().get());

        Profile expected = Profile.of(data, row);
        assertEquals(expected, vm.targetProperty().get());
        for (Domain d : PromptContext.OCEAN) {
            assertTrue(vm.bigFive(d).get().startsWith(expected.level(d).label()), vm.bigFive(d).get());
            assertTrue(findingsAt(bigFivePath(d)).isEmpty(), "template statements state the target level");
        }
        for (Facet f : Facet.values()) {
            assertEquals(expected.level(f).label(), vm.facet(f).get());
        }
        assertNull(vm.parseErrorProperty().get());
    }

    @Test
    void aBigFiveStatementAtTheWrongLevelIsAFindingWithItsPath() {
        Level target = vm.targetProperty().get().level(Domain.O);
        Level wrong = target == Level.VERY_HIGH ? Level.VERY_LOW : Level.VERY_HIGH;
        String path = bigFivePath(Domain.O);

        vm.bigFive(Domain.O).set(wrong.label() + ". Rarely curious about anything new.");

        assertTrue(vm.dirtyProperty().get());
        assertEquals(wrong.label() + ". Rarely curious about anything new.",
                TinyTroupeFiles.parse(vm.documentProperty().get()).spec().bigFive(Domain.O));
        List<Finding> at = findingsAt(path);
        assertEquals(1, at.size(), vm.findings().toString());
        assertEquals(Finding.Severity.ERROR, at.get(0).severity());
        assertTrue(at.get(0).message().contains(target.label()), at.get(0).message());

        vm.bigFive(Domain.O).set(target.label() + ". Curious to the right degree.");
        assertTrue(findingsAt(path).isEmpty(), vm.findings().toString());

        // a facet set off target in the form is flagged too
        Facet f = Facet.values()[3];
        Level ft = vm.targetProperty().get().level(f);
        vm.facet(f).set((ft == Level.LOW ? Level.HIGH : Level.LOW).label());
        assertEquals(1, findingsAt("$.persona.personality.facets." + PromptContext.key(f)).size());
    }

    @Test
    void savingMakesASecondVersionByTheAnnotatorAndOlderVersionsAreReadOnly() {
        SpecEntry entry = vm.specs().get(3);
        vm.selectedSpecProperty().set(entry);
        String original = vm.documentProperty().get();
        String oldName = vm.field(SpecEditorViewModel.Field.NAME).get();

        vm.field(SpecEditorViewModel.Field.NAME).set("Renamed Person");
        assertFalse(vm.save(), "no annotator yet");
        assertTrue(vm.messageProperty().get().contains("annotator"));
        vm.authorProperty().set("alice");
        assertTrue(vm.save());

        SpecEntry updated = vm.selectedSpecProperty().get();
        assertEquals(2, updated.versions());
        assertEquals("Renamed Person", updated.agentName());
        assertEquals(updated, vm.specs().get(3), "the list shows the new version");
        assertEquals(2, vm.versions().size());
        assertEquals("alice", vm.versions().get(1).row().author());
        assertEquals("alice", vm.versions().get(1).who());
        assertTrue(vm.versions().get(1).label().startsWith("v2 · alice · "), vm.versions().get(1).label());
        List<SpecRow> history = SpecService.history(ws, updated.latestSpecId());
        assertEquals(2, history.size());
        assertEquals(entry.latestSpecId(), history.get(0).id());
        assertEquals("alice", history.get(1).author());
        assertEquals("Renamed Person", TinyTroupeFiles.parse(history.get(1).document()).spec().name());
        assertFalse(vm.dirtyProperty().get());
        assertEquals("alice", vm.authorProperty().get(), "the annotator is remembered");

        vm.selectedVersionProperty().set(vm.versions().get(0));
        assertTrue(vm.readOnlyProperty().get());
        assertEquals(original, vm.documentProperty().get());
        assertEquals(oldName, vm.field(SpecEditorViewModel.Field.NAME).get());

        // the two versions compare line by line: the name changed
        vm.compareLeftProperty().set(vm.compareChoices().get(0));
        vm.compareRightProperty().set(vm.compareChoices().get(1));
        List<LineDiff.Row> changed = vm.diff().stream().filter(r -> r.kind() != LineDiff.Kind.SAME).toList();
        assertEquals(1, changed.size(), changed.toString());
        assertTrue(changed.get(0).left().contains(oldName));
        assertTrue(changed.get(0).right().contains("Renamed Person"));

        // reloading the run keeps the edited spec at two versions
        vm.refresh();
        assertEquals(2, vm.specs().stream().filter(e -> e.rootSpecId() == entry.rootSpecId()).findFirst()
                .orElseThrow().versions());
        assertEquals(DemoWorkspace.SPEC_PEOPLE, vm.specs().size());
    }

    @Test
    void badJsonShowsTheParseErrorAndNothingBreaks() {
        String good = vm.documentProperty().get();
        vm.documentProperty().set("{\"type\": \"TinyPerson\", \"persona\": {\"name\": ");
        assertNotNull(vm.parseErrorProperty().get());
        assertTrue(vm.parseErrorProperty().get().startsWith("not valid JSON at line 1"),
                vm.parseErrorProperty().get());
        assertTrue(vm.findings().isEmpty());

        String bad = vm.documentProperty().get();
        vm.field(SpecEditorViewModel.Field.STYLE).set("terse");
        assertNotNull(vm.formErrorProperty().get());
        assertEquals(bad, vm.documentProperty().get(), "the form does not overwrite text it cannot read");

        vm.authorProperty().set("bob");
        int before = SpecService.history(ws, vm.selectedSpecProperty().get().latestSpecId()).size();
        vm.save();
        assertTrue(vm.messageProperty().get().startsWith("Could not save"), vm.messageProperty().get());
        assertEquals(before, SpecService.history(ws, vm.selectedSpecProperty().get().latestSpecId()).size());

        vm.documentProperty().set("[1, 2]");
        assertTrue(vm.parseErrorProperty().get().contains("expected a JSON object"), vm.parseErrorProperty().get());

        vm.revert();
        assertEquals(good, vm.documentProperty().get());
        assertNull(vm.parseErrorProperty().get());
        assertFalse(vm.dirtyProperty().get());
    }

    @Test
    void debouncedValidationAppliesOnlyTheLatestText() throws Exception {
        SpecEditorViewModel slow = new SpecEditorViewModel(ctx, SpecEditorViewModel.DEBOUNCE_MS);
        slow.activate();
        long until = System.currentTimeMillis() + 10_000;
        while ((slow.validatingProperty().get() || slow.selectedVersionProperty().get() == null)
                && System.currentTimeMillis() < until) {
            Thread.sleep(20);
        }
        assertNotNull(slow.selectedVersionProperty().get());
        String good = slow.documentProperty().get();
        AtomicInteger errorsShown = new AtomicInteger();
        slow.parseErrorProperty().addListener((o, a, e) -> {
            if (e != null) {
                errorsShown.incrementAndGet();
            }
        });
        slow.documentProperty().set("{ not json");
        slow.documentProperty().set(good.replace("\"name\"", "\"name\"  "));
        assertTrue(slow.validatingProperty().get());
        while (slow.validatingProperty().get() && System.currentTimeMillis() < until) {
            Thread.sleep(20);
        }
        assertFalse(slow.validatingProperty().get());
        assertEquals(0, errorsShown.get(), "the superseded bad text was never validated");
        assertNull(slow.parseErrorProperty().get());
        assertNotEquals(good, slow.documentProperty().get());
    }

    @Test
    void thePromptPreviewRendersTheTemplateForThePersonOnScreenAndNamesABrokenVariable() {
        PromptPreviewModel pm = vm.promptPreview();
        Profile p = vm.targetProperty().get();
        assertEquals(p, pm.personProperty().get());
        assertNull(pm.errorProperty().get());
        String text = pm.previewProperty().get();
        for (Facet f : Facet.values()) {
            assertTrue(text.contains(p.level(f).label()), "every facet level is in the prompt");
        }
        pm.templateProperty().set("Person {{age}} from {{country}}: {{no_such_variable}}");
        assertNotNull(pm.errorProperty().get());
        assertTrue(pm.errorProperty().get().contains("no_such_variable"), pm.errorProperty().get());
        pm.templateProperty().set("Age {{age}}.");
        assertEquals("Age " + p.age() + ".", pm.previewProperty().get().strip());
        pm.reset();
        assertNull(pm.errorProperty().get());
    }

    @Test
    void regeneratingWithTheTemplateEngineRewritesTheSpecDeterministicallyAndLeavesItToSave() {
        String saved = vm.documentProperty().get();
        Level target = vm.targetProperty().get().level(Domain.O);
        Level wrong = target == Level.VERY_HIGH ? Level.VERY_LOW : Level.VERY_HIGH;
        vm.bigFive(Domain.O).set(wrong.label() + ". Prefers routine.");
        assertTrue(vm.dirtyProperty().get());
        assertFalse(findingsAt(bigFivePath(Domain.O)).isEmpty(), "the broken statement is a finding");

        vm.regenerateFromTemplate();
        assertTrue(vm.messageProperty().get().contains("template engine"), vm.messageProperty().get());
        assertEquals(saved, vm.documentProperty().get(), "the template engine is deterministic");
        assertFalse(vm.dirtyProperty().get());
        assertTrue(findingsAt(bigFivePath(Domain.O)).isEmpty());
    }
}
