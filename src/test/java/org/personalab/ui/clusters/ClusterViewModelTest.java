package org.personalab.ui.clusters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.cluster.ClusterMembers;
import org.personalab.cluster.Clustering;
import org.personalab.cluster.FeatureSpec;
import org.personalab.cluster.KMeansParams;
import org.personalab.cluster.SplitMembers;
import org.personalab.cluster.SplitPlan;
import org.personalab.cluster.SplitSetInfo;
import org.personalab.data.AgeGroup;
import org.personalab.data.Responses;
import org.personalab.data.SyntheticParameters;
import org.personalab.data.SyntheticPopulation;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;
import org.personalab.profile.ScoredDataset;
import org.personalab.service.ClusterService;
import org.personalab.service.ImportService;
import org.personalab.service.SplitService;
import org.personalab.service.UserSettings;
import org.personalab.store.Workspace;
import org.personalab.task.BackgroundTask;
import org.personalab.task.TaskContext;
import org.personalab.task.TaskState;
import org.personalab.ui.DeferredTaskExecutor;
import org.personalab.ui.WorkbenchContext;

/**
 * The cluster panel's ViewModel on a real workspace (800 synthetic people, one stored clustering with a split set),
 * without a window: tasks wait in a {@link DeferredTaskExecutor} and the debounce in a {@link ManualDelay} until the
 * test runs them, in any order.
 */
class ClusterViewModelTest {

    private static final int PEOPLE = 800;

    private Workspace ws;
    private DeferredTaskExecutor executor;
    private ManualDelay delay;
    private ClusterViewModel vm;
    private final List<PointInfo> opened = new ArrayList<>();

    @BeforeEach
    void open(@TempDir Path dir) {
        ws = Workspace.openOrCreate(dir.resolve("ws"));
        Responses r = SyntheticPopulation.generate(SyntheticParameters.bundled(), PEOPLE, 5, TaskContext.none());
        new ImportService().importResponses(ws, r, "syn", "synthetic", "synthetic test people", Map.of(), 0,
                TaskContext.none());
        new ClusterService(ws).cluster(new ClusterService.Request("syn", "syn-k3", FeatureSpec.DEFAULT,
                new KMeansParams(3, 2, 300, 1e-4, 11), new Clustering.Options(300, 1, 2000)), TaskContext.none());
        new SplitService(ws).split(new SplitService.Request("syn-k3", "syn-split",
                new SplitPlan.Representatives("test", 4, "train"), 1), TaskContext.none());
        executor = new DeferredTaskExecutor();
        WorkbenchContext ctx = new WorkbenchContext(executor, WorkbenchContext.DIRECT,
                new UserSettings(dir.resolve("settings")));
        delay = new ManualDelay();
        vm = new ClusterViewModel(ctx, delay, 400);
        vm.setOpenPerson(opened::add);
        ctx.workspaceProperty().set(ws);
        executor.runAll();
        assertTrue(executor.tasks().isEmpty(), "a hidden panel reads nothing");
        vm.activate();
        executor.runAll();
    }

    @AfterEach
    void close() {
        ws.close();
    }

    private List<BackgroundTask<?>> clusterTasks() {
        return executor.tasks().stream().filter(t -> t.title().startsWith("Cluster syn")).toList();
    }

    @Test
    void showingThePanelLoadsTheNewestStoredClusteringWithItsTableSplitAndControls() {
        ClusterPicture p = vm.pictureProperty().get();
        assertNotNull(p);
        assertEquals("syn-k3", p.title());
        assertTrue(p.isSaved());
        assertEquals(PEOPLE, p.size());
        assertEquals("syn-k3", vm.selectedClusteringProperty().get().name());
        assertEquals(3, vm.kProperty().get(), "the controls show what the clustering was made with");
        assertEquals(11, vm.seedProperty().get());
        assertEquals(FeatureSpec.DEFAULT, vm.featureSpec());
        assertTrue(delay.scheduled().isEmpty(), "setting the controls from a stored clustering recomputes nothing");

        ClusterMembers stored = ws.read(tx -> tx.clusters().members(p.stored().id()));
        assertArrayEquals(stored.clusters(), p.labels());
        assertEquals(3, vm.clusters().size());
        int[] count = new int[3];
        for (int l : stored.clusters()) {
            count[l]++;
        }
        ScoredDataset data = p.data();
        for (ClusterSummary s : vm.clusters()) {
            assertEquals(count[s.cluster()], s.size());
            assertEquals((double) count[s.cluster()] / PEOPLE, s.share(), 1e-12);
        }
        // the cluster means, weighted by cluster size, give back the overall mean of every domain
        for (Domain d : Domain.values()) {
            double all = 0;
            int known = 0;
            for (int r = 0; r < PEOPLE; r++) {
                float v = data.score(r, Scale.of(d));
                if (v == v) {
                    all += v;
                    known++;
                }
            }
            double weighted = 0;
            for (ClusterSummary s : vm.clusters()) {
                weighted += s.mean(d) * s.size();
            }
            assertEquals(known, PEOPLE, "synthetic people answer everything");
            assertEquals(all / known, weighted / PEOPLE, 1e-9, d.name());
        }

        assertEquals("syn-split", vm.shownSplitSetProperty().get().name());
        assertEquals(List.of("test", "train"), p.split().names());
        long tests = java.util.Arrays.stream(p.split().splitOfRow()).filter(s -> s == 0).count();
        assertEquals(3 * 4, tests);
        Coloring c = vm.coloringProperty().get();
        assertEquals(ColorMode.CLUSTER, c.mode());
        assertEquals(PEOPLE, c.argb().length);
    }

    @Test
    void controlChangesAreDebouncedAndOnlyTheLatestRecomputeUpdatesTheView() {
        vm.kProperty().set(4);
        vm.seedProperty().set(9);
        vm.kProperty().set(5);
        assertTrue(vm.recomputingProperty().get());
        assertEquals(3, delay.scheduled().size());
        assertEquals(400, delay.scheduled().get(2).millis);
        assertTrue(delay.scheduled().get(0).cancelled && delay.scheduled().get(1).cancelled);
        assertFalse(delay.scheduled().get(2).cancelled);
        assertTrue(clusterTasks().isEmpty(), "nothing runs before the pause");
        delay.fireAll(); // even the cancelled timers fire: they must not start work
        assertEquals(1, clusterTasks().size(), "three changes, one recompute");
        assertTrue(clusterTasks().get(0).title().contains("k = 5, seed 9"), clusterTasks().get(0).title());

        // a newer request cancels the pending one; run them newest first: only the newest result shows
        vm.kProperty().set(2);
        delay.fireLive();
        List<BackgroundTask<?>> tasks = clusterTasks();
        BackgroundTask<?> first = tasks.get(0);
        assertTrue(first.isCancelled(), "a newer change cancels the waiting recompute");
        BackgroundTask<?> older = tasks.get(1);
        vm.kProperty().set(6);
        delay.fireLive();
        BackgroundTask<?> newest = clusterTasks().get(2);
        assertTrue(newest.title().contains("k = 6"), newest.title());
        executor.run(newest);
        executor.run(older);
        executor.runAll();
        assertEquals(TaskState.CANCELLED, first.state());
        assertEquals(TaskState.CANCELLED, older.state());
        assertEquals(TaskState.SUCCEEDED, newest.state());
        ClusterPicture p = vm.pictureProperty().get();
        assertEquals(6, p.k());
        assertEquals(9, p.params().seed());
        assertFalse(p.isSaved());
        assertNull(vm.selectedClusteringProperty().get(), "an unsaved recompute is not a stored clustering");
        assertEquals(6, vm.clusters().size());
        assertFalse(vm.recomputingProperty().get());
        assertEquals(PEOPLE, vm.clusters().stream().mapToInt(ClusterSummary::size).sum());
        assertEquals("syn-k6-s9", vm.saveNameProperty().get());
        assertTrue(vm.messageProperty().get().startsWith("Unsaved: syn, k = 6, seed 9"), vm.messageProperty().get());
    }

    @Test
    void aResultThatArrivesAfterANewerRequestIsIgnored(@TempDir Path settings) {
        // results reach the view through the UI queue; a newer request can come before a finished task's result
        java.util.ArrayDeque<Runnable> uiQueue = new java.util.ArrayDeque<>();
        DeferredTaskExecutor tasks = new DeferredTaskExecutor();
        WorkbenchContext queued = new WorkbenchContext(tasks, uiQueue::add, new UserSettings(settings));
        ManualDelay timer = new ManualDelay();
        ClusterViewModel model = new ClusterViewModel(queued, timer, 400);
        queued.workspaceProperty().set(ws);
        model.activate();
        Runnable settle = () -> {
            while (!tasks.pending().isEmpty() || !uiQueue.isEmpty()) {
                tasks.runAll();
                while (!uiQueue.isEmpty()) {
                    uiQueue.poll().run();
                }
            }
        };
        settle.run();
        assertEquals("syn-k3", model.pictureProperty().get().title());

        model.kProperty().set(4);
        timer.fireLive();
        BackgroundTask<?> k4 = tasks.pending().get(0);
        tasks.run(k4);
        assertEquals(TaskState.SUCCEEDED, k4.state(), "finished before the next change: cancelling it is too late");
        model.kProperty().set(5);
        while (!uiQueue.isEmpty()) {
            uiQueue.poll().run();
        }
        assertEquals("syn-k3", model.pictureProperty().get().title(), "the k = 4 result arrived stale");
        timer.fireLive();
        settle.run();
        assertEquals(5, model.pictureProperty().get().k());

        model.colorModeProperty().set(ColorMode.SEX);
        tasks.runAll();
        model.colorModeProperty().set(ColorMode.AGE_GROUP);
        uiQueue.poll().run();
        assertEquals(ColorMode.CLUSTER, model.coloringProperty().get().mode(), "the sex colours arrived stale");
        settle.run();
        assertEquals(ColorMode.AGE_GROUP, model.coloringProperty().get().mode());
    }

    @Test
    void loadingAStoredClusteringAfterARecomputeWinsOnlyWhenItIsTheLatestRequest() {
        vm.kProperty().set(4);
        delay.fireLive();
        BackgroundTask<?> recompute = clusterTasks().get(0);
        vm.selectedClusteringProperty().set(null);
        vm.selectedClusteringProperty().set(vm.clusterings().get(0)); // the user picks the stored one again
        executor.run(recompute);
        executor.runAll();
        assertEquals(TaskState.CANCELLED, recompute.state());
        assertEquals("syn-k3", vm.pictureProperty().get().title());
        assertEquals(3, vm.kProperty().get());
    }

    @Test
    void anEmptyFeatureChoiceIsExplainedInsteadOfRun() {
        vm.itemsProperty().set(FeatureSpec.Items.NONE);
        vm.sexProperty().set(false);
        vm.ageProperty().set(false);
        vm.countryProperty().set(false);
        delay.fireLive();
        assertTrue(clusterTasks().isEmpty());
        assertTrue(vm.messageProperty().get().startsWith("Cannot cluster: no features chosen"),
                vm.messageProperty().get());
        assertFalse(vm.recomputingProperty().get());
        assertEquals("syn-k3", vm.pictureProperty().get().title(), "the stored clustering stays shown");
    }

    @Test
    void savingARecomputeStoresExactlyWhatIsShown() {
        vm.kProperty().set(4);
        vm.seedProperty().set(3);
        vm.recomputeNow();
        executor.runAll();
        ClusterPicture p = vm.pictureProperty().get();
        assertFalse(p.isSaved());
        assertTrue(delay.scheduled().stream().allMatch(d -> d.cancelled), "Run drops the pending timer");
        vm.saveNameProperty().set("mine");
        vm.saveClustering();
        executor.runAll();
        ClusterPicture saved = vm.pictureProperty().get();
        assertTrue(saved.isSaved());
        assertEquals("mine", saved.stored().name());
        assertSame(p.labels(), saved.labels(), "saving does not recompute");
        assertEquals("mine", vm.selectedClusteringProperty().get().name());
        assertEquals(List.of("syn-k3", "mine"), vm.clusterings().stream().map(c -> c.name()).toList());
        ClusterMembers m = ws.read(tx -> tx.clusters().members(saved.stored().id()));
        assertArrayEquals(p.labels(), m.clusters());
        assertArrayEquals(p.x(), m.x());
        assertTrue(vm.splitSets().isEmpty(), "the new clustering has no split sets yet");
        assertTrue(clusterTasks().size() == 1, "saving started no second clustering");

        vm.saveClustering();
        assertTrue(vm.messageProperty().get().endsWith("is stored already."), vm.messageProperty().get());
    }

    @Test
    void colourModesMapEveryPersonToTheColourOfTheirGroup() {
        ClusterPicture p = vm.pictureProperty().get();
        Responses r = p.data().responses();
        for (int i = 0; i < PEOPLE; i++) {
            assertEquals(ClusterPalette.cluster(p.labels()[i]), vm.coloringProperty().get().argb()[i]);
        }

        vm.colorModeProperty().set(ColorMode.SEX);
        executor.runAll();
        Coloring sex = vm.coloringProperty().get();
        assertEquals(ColorMode.SEX, sex.mode());
        for (int i = 0; i < PEOPLE; i++) {
            assertEquals(ClusterPalette.sex(r.sex(i)), sex.argb()[i]);
        }
        assertEquals(PEOPLE, sex.legend().stream().mapToInt(Coloring.Entry::count).sum());

        vm.colorDomainProperty().set(Domain.C);
        vm.colorModeProperty().set(ColorMode.LEVEL);
        executor.runAll();
        Coloring level = vm.coloringProperty().get();
        assertEquals(Domain.C, level.domain());
        Map<Integer, Integer> byColour = new HashMap<>();
        for (int i = 0; i < PEOPLE; i++) {
            Level l = p.data().level(i, Scale.C);
            assertEquals(ClusterPalette.level(l), level.argb()[i]);
            byColour.merge(level.argb()[i], 1, Integer::sum);
        }
        for (Coloring.Entry e : level.legend()) {
            assertEquals(byColour.getOrDefault(e.argb(), 0), e.count(), e.label());
        }
        assertTrue(level.legend().get(4).label().equals("Conscientiousness Very High"), level.legend().toString());

        vm.colorModeProperty().set(ColorMode.SPLIT);
        executor.runAll();
        Coloring split = vm.coloringProperty().get();
        for (int i = 0; i < PEOPLE; i++) {
            assertEquals(ClusterPalette.split(p.split().splitOfRow()[i]), split.argb()[i]);
        }
        assertEquals("test", split.legend().get(0).label());
        assertEquals(12, split.legend().get(0).count());
        for (int i = PEOPLE - 12; i < PEOPLE; i++) {
            assertEquals(0, p.split().splitOfRow()[split.order()[i]], "the 12 test people are drawn on top");
        }

        // two quick changes, finished in reverse order: the later choice stays
        vm.colorModeProperty().set(ColorMode.AGE_GROUP);
        vm.colorModeProperty().set(ColorMode.CLUSTER);
        List<BackgroundTask<?>> pending = executor.pending();
        executor.run(pending.get(1));
        executor.run(pending.get(0));
        assertEquals(ColorMode.CLUSTER, vm.coloringProperty().get().mode());
        vm.colorModeProperty().set(ColorMode.AGE_GROUP);
        executor.runAll();
        for (int i = 0; i < PEOPLE; i++) {
            assertEquals(ClusterPalette.ageGroup(AgeGroup.of(r.age(i))), vm.coloringProperty().get().argb()[i]);
        }
    }

    @Test
    void clusterColoursStayDistinctBeyondThePalette() {
        Set<Integer> seen = new HashSet<>();
        for (int c = 0; c < 60; c++) {
            assertTrue(seen.add(ClusterPalette.cluster(c)), "cluster " + c + " repeats a colour");
            assertEquals(0xff, ClusterPalette.cluster(c) >>> 24, "opaque");
        }
        assertEquals(ClusterPalette.NONE, ClusterPalette.split(-1));
    }

    @Test
    void splitPreviewAddsUpPerClusterAndCohortAndSavingStoresExactlyThePreview() throws Exception {
        vm.splitModeProperty().set(SplitMode.FRACTIONS);
        vm.testShareProperty().set(0.25);
        vm.splitSeedProperty().set(3);
        vm.previewSplit();
        executor.runAll();
        SplitPreview pv = vm.previewProperty().get();
        assertNotNull(pv);
        assertEquals(List.of("train", "test"), pv.names());
        assertEquals(PEOPLE, pv.sizes().get("train") + pv.sizes().get("test") + pv.unassigned());
        assertEquals(0, pv.unassigned(), "fractions adding up to 1 leave nobody out");
        assertEquals(PEOPLE, pv.total());
        for (int s = 0; s < 2; s++) {
            int split = s;
            int size = pv.sizes().get(pv.names().get(s));
            assertEquals(size, pv.byCluster().stream().mapToInt(row -> row.perSplit()[split]).sum());
            assertEquals(size, pv.byCohort().stream().mapToInt(row -> row.perSplit()[split]).sum());
        }
        assertEquals(PEOPLE, pv.byCohort().stream().mapToInt(SplitPreview.Row::people).sum());
        for (ClusterSummary c : vm.clusters()) {
            SplitPreview.Row row = pv.byCluster().get(c.cluster());
            assertEquals(c.size(), row.people());
            assertEquals(Math.round(0.25 * c.size()), row.perSplit()[1], 1.0, "stratified within cluster");
        }
        assertEquals(SplitLayer.PREVIEW, vm.pictureProperty().get().split().name(), "the scatter shows the preview");

        vm.splitNameProperty().set("ui-split");
        vm.saveSplit();
        executor.runAll();
        SplitSetInfo stored = new SplitService(ws).require("ui-split");
        assertEquals(vm.pictureProperty().get().stored().id(), stored.clusteringId());
        SplitMembers m = new SplitService(ws).members(stored);
        Map<String, Integer> counts = new HashMap<>();
        for (String s : m.splits()) {
            counts.merge(s, 1, Integer::sum);
        }
        assertEquals(pv.sizes(), counts);
        int[] previewed = pv.layer().splitOfRow();
        for (int i = 0; i < m.size(); i++) {
            int row = (int) (m.respondentIds()[i] - vm.pictureProperty().get().rowIds()[0]);
            assertEquals(pv.names().get(previewed[row]), m.splits()[i], "person " + row + " as previewed");
        }
        assertEquals("ui-split", vm.shownSplitSetProperty().get().name());
        assertEquals(List.of("syn-split", "ui-split"), vm.splitSets().stream().map(SplitSetInfo::name).toList());
        assertTrue(vm.splitMessageProperty().get().startsWith("Saved split set ui-split: train"),
                vm.splitMessageProperty().get());

        vm.splitModeProperty().set(SplitMode.REPRESENTATIVES);
        assertNull(vm.previewProperty().get(), "changing a setting drops the preview: Save needs a new one");
        vm.perCentroidProperty().set(5);
        vm.previewSplit();
        executor.runAll();
        SplitPreview rep = vm.previewProperty().get();
        assertEquals(List.of("test", "train"), rep.names());
        assertEquals(3 * 5, rep.sizes().get("test"));
        assertEquals(PEOPLE - 15, rep.sizes().get("train"));
        for (SplitPreview.Row row : rep.byCluster()) {
            assertEquals(5, row.perSplit()[0]);
        }
        assertEquals(2, new SplitService(ws).list().size(), "previewing stores nothing");
    }

    @Test
    void splittingAnUnsavedRecomputeAsksToSaveItFirst() {
        vm.kProperty().set(4);
        delay.fireLive();
        executor.runAll();
        vm.previewSplit();
        assertNull(vm.previewProperty().get());
        assertTrue(executor.pending().isEmpty());
        assertEquals("Save the clustering first: split sets are drawn from stored clusterings.",
                vm.splitMessageProperty().get());
    }

    @Test
    void hoverDescribesThePersonAndOpenHandsThemToTheBrowser() {
        ClusterPicture p = vm.pictureProperty().get();
        vm.hover(17);
        PointInfo who = vm.hoveredProperty().get();
        Responses r = p.data().responses();
        assertEquals(r.id(17), who.id());
        assertEquals(p.labels()[17], who.cluster());
        assertEquals(p.split().splitOf(17), who.split());
        assertTrue(who.describe().startsWith(r.id(17) + " · " + r.sex(17).label() + " · "), who.describe());
        vm.hover(-1);
        assertNull(vm.hoveredProperty().get());
        vm.open(17);
        assertEquals(1, opened.size());
        assertEquals(17, opened.get(0).row());
        assertEquals(p.dataset().id(), opened.get(0).datasetId());
        vm.open(PEOPLE);
        assertEquals(1, opened.size(), "a row outside the dataset opens nothing");
    }
}
