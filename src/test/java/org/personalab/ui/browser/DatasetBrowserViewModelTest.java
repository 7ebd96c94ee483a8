package org.personalab.ui.browser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.data.ImportFormat;
import org.personalab.data.ImportOptions;
import org.personalab.data.Sex;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;
import org.personalab.profile.ScoredDataset;
import org.personalab.store.Workspace;
import org.personalab.task.CurrentThreadTaskExecutor;
import org.personalab.task.TaskState;
import org.personalab.ui.DeferredTaskExecutor;
import org.personalab.ui.UiTestData;
import org.personalab.ui.WorkbenchContext;

/** The browser ViewModel without a window: synchronous tasks, results applied directly. */
class DatasetBrowserViewModelTest {

    private WorkbenchContext ctx;
    private DatasetBrowserViewModel vm;
    private ScoredDataset data;

    @BeforeEach
    void open() {
        ctx = new WorkbenchContext(new CurrentThreadTaskExecutor(), WorkbenchContext.DIRECT,
                UiTestData.freshSettings());
        vm = new DatasetBrowserViewModel(ctx);
        ctx.workspaceProperty().set(Workspace.open(UiTestData.demoWorkspaceCopy()));
        data = vm.data();
    }

    @Test
    void openingAWorkspaceListsAndLoadsItsDataset() {
        assertEquals(1, vm.datasets().size());
        assertNotNull(data);
        assertEquals(10_000, data.size());
        assertEquals(10_000, vm.rows().size());
        assertEquals("Showing 10,000 of 10,000 respondents", vm.summaryProperty().get());
        assertEquals(IntStream.range(0, 10_000).sum(), IntStream.range(0, vm.rows().size())
                .map(vm.rows()::rowAt).sum(), "every row once");
        assertTrue(vm.countries().size() > 3);
    }

    @Test
    void filtersBySexAndLevelMatchAnIndependentCount() {
        vm.sexProperty().set(Sex.FEMALE);
        long women = IntStream.range(0, data.size()).filter(r -> data.responses().sex(r) == Sex.FEMALE).count();
        assertEquals(women, vm.rows().size());
        vm.levelScaleProperty().set(Scale.N);
        vm.levelProperty().set(Level.HIGH);
        long highN = IntStream.range(0, data.size()).filter(r -> data.responses().sex(r) == Sex.FEMALE
                && data.level(r, Scale.N) == Level.HIGH).count();
        assertTrue(highN > 0 && highN < women);
        assertEquals(highN, vm.rows().size());
        for (int i = 0; i < vm.rows().size(); i++) {
            int r = vm.rows().rowAt(i);
            assertEquals(Sex.FEMALE, data.responses().sex(r));
            assertEquals(Level.HIGH, data.level(r, Scale.N));
        }
        vm.levelScaleProperty().set(Scale.C3);
        long highC3 = IntStream.range(0, data.size()).filter(r -> data.responses().sex(r) == Sex.FEMALE
                && data.level(r, Scale.C3) == Level.HIGH).count();
        assertEquals(highC3, vm.rows().size(), "the level filter follows the chosen facet");
        vm.clearFilters();
        assertEquals(data.size(), vm.rows().size());
    }

    @Test
    void countryFilterUsesTheCountriesPresent() {
        CountryCount top = vm.countries().get(0);
        vm.countryProperty().set(top);
        assertEquals(top.count(), vm.rows().size());
        for (int i = 0; i < vm.rows().size(); i++) {
            assertEquals(top.country(), data.responses().country(vm.rows().rowAt(i)));
        }
    }

    @Test
    void sortsTheVisibleRowsAndKeepsTheFilter() {
        vm.sexProperty().set(Sex.MALE);
        int men = vm.rows().size();
        vm.sortBy(List.of(new SortKey(RespondentColumn.score(Scale.E), false)));
        assertEquals(men, vm.rows().size());
        for (int i = 1; i < vm.rows().size(); i++) {
            assertTrue(descending(vm.rows().rowAt(i - 1), vm.rows().rowAt(i), Scale.E), "descending at " + i);
            assertEquals(Sex.MALE, data.responses().sex(vm.rows().rowAt(i)));
        }
        vm.sexProperty().set(Sex.FEMALE);
        for (int i = 1; i < vm.rows().size(); i++) {
            assertTrue(descending(vm.rows().rowAt(i - 1), vm.rows().rowAt(i), Scale.E),
                    "a new filter keeps the sort order at " + i);
        }
        vm.sortBy(List.of());
        for (int i = 1; i < vm.rows().size(); i++) {
            assertTrue(vm.rows().rowAt(i - 1) < vm.rows().rowAt(i), "no sort order means file order");
        }
    }

    /** Row a may come before row b in a descending sort: higher or equal score, missing scores last. */
    private boolean descending(int a, int b, Scale s) {
        float x = data.score(a, s);
        float y = data.score(b, s);
        return Float.isNaN(y) || (!Float.isNaN(x) && x >= y);
    }

    @Test
    void findSelectsTheRespondentAndShowsTheirDetail() {
        vm.sortBy(List.of(new SortKey(RespondentColumn.score(Scale.O), true)));
        String id = data.responses().id(4321);
        vm.findTextProperty().set(" " + id + " ");
        vm.find();
        assertEquals(4321, vm.selectedRowProperty().get());
        RowFocus f = vm.focusProperty().get();
        assertEquals(4321, f.row());
        assertEquals(4321, vm.rows().rowAt(f.position()), "the focus position shows that row");
        RespondentProfile p = vm.detail().profile();
        assertEquals(id, p.id());
        assertEquals(120, vm.detail().answers().size());
        assertEquals(data.score(4321, Scale.O), p.score(Scale.O));
        assertEquals(data.percentile(4321, Scale.O), p.percentile(Scale.O));
        assertEquals(data.normGroup(4321).label(), p.normGroup());
        AnswerRow first = vm.detail().answers().get(0);
        assertEquals(1, first.item());
        assertEquals(data.responses().answer(4321, 1), first.stored());
        assertEquals(data.score(4321, Scale.N), (float) vm.distribution().markerProperty().get(), 1e-6,
                "the distribution marks the respondent on its scale");
    }

    @Test
    void findReportsUnknownAndFilteredOutIds() {
        vm.findTextProperty().set("no-such-person");
        vm.find();
        assertTrue(vm.messageProperty().get().startsWith("No respondent with id no-such-person"));
        int man = IntStream.range(0, data.size()).filter(r -> data.responses().sex(r) == Sex.MALE).findFirst()
                .orElseThrow();
        vm.sexProperty().set(Sex.FEMALE);
        vm.findTextProperty().set(data.responses().id(man));
        vm.find();
        assertTrue(vm.messageProperty().get().contains("hidden by the current filters"));
    }

    @Test
    void distributionShowsTheChosenScaleAndGroup() {
        DistributionViewModel d = vm.distribution();
        assertEquals(Scale.N, d.histogramProperty().get().scale());
        d.scaleProperty().set(Scale.A2);
        Histogram h = d.histogramProperty().get();
        assertEquals(Scale.A2, h.scale());
        assertEquals(data.size(), h.n() + IntStream.range(0, data.size())
                .filter(r -> Float.isNaN(data.score(r, Scale.A2))).count());
        var cohort = d.groups().stream().filter(g -> g.isCohort()).findFirst().orElseThrow();
        d.groupProperty().set(cohort);
        assertEquals(cohort, d.histogramProperty().get().group());
        assertEquals(data.norms().norms(cohort).people(), d.histogramProperty().get().people());
        float[] cuts = d.histogramProperty().get().cuts();
        assertTrue(cuts[0] <= cuts[1] && cuts[1] <= cuts[2] && cuts[2] <= cuts[3]);
    }

    @Test
    void onlyTheLatestFilterRequestUpdatesTheRows() {
        DeferredTaskExecutor deferred = new DeferredTaskExecutor();
        WorkbenchContext c = new WorkbenchContext(deferred, WorkbenchContext.DIRECT, UiTestData.freshSettings());
        DatasetBrowserViewModel v = new DatasetBrowserViewModel(c);
        c.workspaceProperty().set(Workspace.open(UiTestData.demoWorkspaceCopy()));
        deferred.runAll();
        ScoredDataset d = v.data();
        v.sexProperty().set(Sex.FEMALE);
        v.sexProperty().set(Sex.MALE);
        var pending = deferred.pending();
        assertEquals(2, pending.size());
        deferred.run(pending.get(1)); // the newer request (men) finishes first
        deferred.run(pending.get(0)); // the stale one (women) finishes last and must be ignored
        assertEquals(TaskState.SUCCEEDED, pending.get(0).state());
        long men = IntStream.range(0, d.size()).filter(r -> d.responses().sex(r) == Sex.MALE).count();
        assertEquals(men, v.rows().size());
        assertEquals(Sex.MALE, d.responses().sex(v.rows().rowAt(0)));
    }

    @Test
    void importsAValidCsvAndSelectsIt(@TempDir Path dir) {
        Path csv = UiTestData.writeCsv(dir, "small.csv", 40, 1, 0);
        vm.importFile(csv, ImportOptions.of(ImportFormat.CSV).withName("small"));
        assertNull(vm.importFailureProperty().get(), () -> vm.importFailureProperty().get().text());
        assertEquals(2, vm.datasets().size());
        assertEquals("small", vm.selectedDatasetProperty().get().name());
        assertEquals(40, vm.data().size());
        assertEquals(40, vm.rows().size());
        assertTrue(vm.messageProperty().get().startsWith("Imported 40 respondents"));
    }

    @Test
    void aRefusedImportListsEveryProblemAndChangesNothing(@TempDir Path dir) {
        Path csv = UiTestData.writeCsv(dir, "bad.csv", 10, 2, 4);
        vm.importFile(csv, ImportOptions.of(ImportFormat.CSV));
        ImportFailure f = vm.importFailureProperty().get();
        assertNotNull(f);
        assertTrue(f.headline().startsWith("bad.csv was not imported"), f.headline());
        assertEquals(1, f.lines().size(), f.text());
        // FILE:LINE:COLUMN: message — data row 4 is line 5; I7 is the 11th column
        assertTrue(f.lines().get(0).matches(".*bad\\.csv:5:\\d+: .*"), f.lines().get(0));
        assertEquals(1, vm.datasets().size());
        vm.refreshDatasets(null);
        assertEquals(1, vm.datasets().size(), "the workspace is unchanged");
        assertEquals(10_000, vm.data().size(), "the loaded dataset stays");
    }

    @Test
    void importOfAMissingFileFailsCleanly(@TempDir Path dir) {
        vm.importFile(dir.resolve("nope.csv"), ImportOptions.of(ImportFormat.CSV));
        ImportFailure f = vm.importFailureProperty().get();
        assertNotNull(f);
        assertEquals(1, f.lines().size());
        assertTrue(f.lines().get(0).contains("nope.csv"), f.lines().get(0));
        assertEquals(1, vm.datasets().size());
    }

    @Test
    void rowsAreAReadOnlyIndexList() {
        int[] copy = vm.rows().rowsCopy();
        assertArrayEquals(IntStream.range(0, 10_000).toArray(), copy);
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class,
                () -> vm.rows().add(3));
    }
}
