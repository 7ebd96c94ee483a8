package org.personalab.ui.clusters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import javafx.geometry.Point2D;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.personalab.cluster.ClusteringInfo;
import org.personalab.cluster.SplitSetInfo;
import org.personalab.service.ClusterService;
import org.personalab.service.DemoWorkspace;
import org.personalab.service.SplitService;
import org.personalab.task.ThreadPoolTaskExecutor;
import org.personalab.ui.FxWait;
import org.personalab.ui.MainWindow;
import org.personalab.ui.PanelId;
import org.personalab.ui.UiTestData;
import org.personalab.ui.WorkbenchContext;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The Clusters panel in the real window, headless, on a copy of the demo workspace (10,000 synthetic people with the
 * stored clustering {@value DemoWorkspace#CLUSTERING}): recompute from the controls, save, build and save a split;
 * and hover and click a point to open the person in the dataset browser.
 */
@ExtendWith(ApplicationExtension.class)
class ClusterPanelUiTest {

    private ThreadPoolTaskExecutor executor;
    private MainWindow window;

    /** Builds the shared demo workspace before the window starts: on a busy machine it outlasts TestFX's setup. */
    @BeforeAll
    static void buildDemo() {
        UiTestData.demoWorkspaceCopy();
    }

    @Start
    void start(Stage stage) {
        executor = new ThreadPoolTaskExecutor(2);
        WorkbenchContext ctx = new WorkbenchContext(executor, WorkbenchContext.FX, UiTestData.freshSettings());
        window = new MainWindow(stage, ctx);
        window.show(UiTestData.demoWorkspaceCopy());
    }

    @AfterEach
    void stop() {
        executor.close();
    }

    private ClusterViewModel openPanel(FxRobot robot) {
        ClusterViewModel vm = window.clusters();
        FxWait.until("the workspace is open", () -> window.context().workspace() != null);
        assertTrue(vm.clusterings().isEmpty(), "the hidden panel reads nothing");
        robot.clickOn("#" + PanelId.CLUSTERS.navId());
        FxWait.until("the demo clustering is shown and coloured", () -> vm.pictureProperty().get() != null
                && vm.pictureProperty().get().title().equals(DemoWorkspace.CLUSTERING)
                && vm.coloringProperty().get() != null
                && vm.coloringProperty().get().argb().length == DemoWorkspace.PEOPLE);
        return vm;
    }

    private static void replaceText(FxRobot robot, javafx.scene.Node field, String text) {
        robot.clickOn(field).press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL).write(text)
                .type(KeyCode.ENTER);
    }

    @Test
    void fromTheControlsThroughARecomputeToASavedSplit(FxRobot robot) {
        ClusterViewModel vm = openPanel(robot);
        TableView<ClusterSummary> table = robot.lookup("#clusterTable").queryTableView();
        assertEquals(DemoWorkspace.CLUSTERS, FxWait.onFx(() -> table.getItems().size()));
        assertEquals(DemoWorkspace.SPLIT_SET, FxWait.onFx(() -> vm.shownSplitSetProperty().get().name()));

        Spinner<?> k = robot.lookup("#clusterK").queryAs(Spinner.class);
        replaceText(robot, k.getEditor(), "4");
        replaceText(robot, robot.lookup("#clusterSeed").query(), "7");
        FxWait.until("the recompute with k = 4 and seed 7 is shown", () -> vm.pictureProperty().get().k() == 4
                && vm.pictureProperty().get().params().seed() == 7 && !vm.recomputingProperty().get());
        assertFalse(FxWait.onFx(() -> vm.pictureProperty().get().isSaved()));
        assertEquals(4, FxWait.onFx(() -> table.getItems().size()));
        assertEquals(DemoWorkspace.PEOPLE, (int) FxWait.onFx(() -> table.getItems().stream()
                .mapToInt(ClusterSummary::size).sum()));
        assertTrue(robot.lookup("#clusterMessage").queryAs(Label.class).getText()
                .startsWith("Unsaved: " + DemoWorkspace.DATASET + ", k = 4, seed 7"));

        replaceText(robot, robot.lookup("#clusterSaveName").query(), "ui-k4");
        robot.clickOn("#clusterSave");
        FxWait.until("the clustering is stored", () -> vm.pictureProperty().get().isSaved()
                && vm.selectedClusteringProperty().get() != null
                && vm.selectedClusteringProperty().get().name().equals("ui-k4"));
        ClusteringInfo stored = new ClusterService(window.context().workspace()).require("ui-k4");
        assertEquals(4, stored.k());
        assertTrue(robot.lookup("#clusterSave").query().isDisabled(), "nothing left to save");

        robot.clickOn("Split builder");
        replaceText(robot, robot.lookup("#splitName").query(), "ui-split");
        robot.clickOn("#splitPreview");
        FxWait.until("the preview is shown", () -> vm.previewProperty().get() != null);
        SplitPreview pv = FxWait.onFx(() -> vm.previewProperty().get());
        assertEquals(List.of("train", "test"), pv.names());
        assertEquals(2_000, pv.sizes().get("test"), 4, "a fifth of every cluster, rounded per cluster");
        TableView<SplitPreview.Row> byCluster = robot.lookup("#splitByCluster").queryTableView();
        TableView<SplitPreview.Row> byCohort = robot.lookup("#splitByCohort").queryTableView();
        assertEquals(4, FxWait.onFx(() -> byCluster.getItems().size()));
        assertTrue(FxWait.onFx(() -> byCohort.getItems().size()) >= 4);
        assertEquals(List.of("Cluster", "People", "train", "test"), FxWait.onFx(() -> byCluster.getColumns()
                .stream().map(c -> c.getText()).toList()));
        assertTrue(new SplitService(window.context().workspace()).list().stream()
                .noneMatch(s -> s.name().equals("ui-split")), "previewing stores nothing");

        robot.clickOn("#splitSave");
        FxWait.until("the split set is saved", () -> vm.splitMessageProperty().get()
                .startsWith("Saved split set ui-split"));
        SplitSetInfo saved = new SplitService(window.context().workspace()).list().stream()
                .filter(s -> s.name().equals("ui-split")).findFirst().orElse(null);
        assertNotNull(saved, "the split set is in the workspace");
        assertEquals(stored.id(), saved.clusteringId());
        assertEquals(pv.sizes().get("test").intValue(), (int) java.util.Arrays.stream(
                new SplitService(window.context().workspace()).members(saved).splits())
                .filter("test"::equals).count());
        assertEquals("ui-split", FxWait.onFx(() -> vm.shownSplitSetProperty().get().name()));
    }

    @Test
    void hoveringAPointNamesThePersonAndClickingItOpensThemInTheBrowser(FxRobot robot) {
        ClusterViewModel vm = openPanel(robot);
        ScatterCanvas scatter = window.clusterView().scatter();
        ClusterPicture p = FxWait.onFx(() -> vm.pictureProperty().get());
        // the canvas may still be laying out and fitting its view when the picture arrives: look until it settles
        int[] found = {-1};
        FxWait.until("some point stands alone at the fitted zoom",
                () -> (found[0] = isolatedPoint(scatter, p)) >= 0);
        int row = found[0];
        Point2D local = FxWait.onFx(() -> scatter.toScreen(row));
        int colour = vm.coloringProperty().get().argb()[row];
        FxWait.until("the point is drawn in its cluster's colour", () -> scatter.pixelAt(local.getX(),
                local.getY()) == colour);
        assertEquals(ClusterPalette.cluster(p.labels()[row]), colour);

        robot.moveTo(FxWait.onFx(() -> scatter.localToScreen(local)));
        FxWait.until("the point is hovered", () -> vm.hoveredProperty().get() != null
                && vm.hoveredProperty().get().row() == row);
        Label hover = robot.lookup("#clusterHover").queryAs(Label.class);
        String id = p.data().responses().id(row);
        assertTrue(hover.isVisible());
        assertTrue(hover.getText().startsWith(id + " · "), hover.getText());
        assertTrue(hover.getText().contains("cluster " + p.labels()[row]), hover.getText());

        // wheel zoom keeps the point under the cursor in place; a drag pans by the drag
        double before = FxWait.onFx(scatter::zoomLevel);
        robot.scroll(3, javafx.geometry.VerticalDirection.UP);
        FxWait.until("the wheel zoomed", () -> Math.abs(scatter.zoomLevel() / before - 1) > 0.3);
        Point2D stay = FxWait.onFx(() -> scatter.toScreen(row));
        assertEquals(local.getX(), stay.getX(), 1.0);
        assertEquals(local.getY(), stay.getY(), 1.0);
        robot.scroll(3, javafx.geometry.VerticalDirection.DOWN);
        FxWait.until("the wheel zoomed back", () -> Math.abs(scatter.zoomLevel() - before) < 1e-6 * before);
        Point2D back = FxWait.onFx(() -> scatter.toScreen(row));
        assertEquals(local.getX(), back.getX(), 1e-3);
        assertEquals(local.getY(), back.getY(), 1e-3);

        robot.drag(FxWait.onFx(() -> scatter.localToScreen(local)), MouseButton.PRIMARY).moveBy(40, 25)
                .release(MouseButton.PRIMARY);
        FxWait.until("the drag panned the view", () -> scatter.toScreen(row).distance(local.add(40, 25)) < 1);
        assertEquals(PanelId.CLUSTERS, window.shell().selectedPanelProperty().get(), "a drag is not a click");
        robot.drag(FxWait.onFx(() -> scatter.localToScreen(local.add(40, 25))), MouseButton.PRIMARY)
                .moveBy(-40, -25).release(MouseButton.PRIMARY);
        FxWait.until("the drag panned back", () -> scatter.toScreen(row).distance(local) < 1);

        robot.clickOn(FxWait.onFx(() -> scatter.localToScreen(local)));
        FxWait.until("the browser shows the person", () -> window.shell().selectedPanelProperty().get()
                == PanelId.BROWSER && window.browser().selectedRowProperty().get() == row);
        assertTrue(robot.lookup("#panel-BROWSER").query().isVisible());
        assertEquals(id, FxWait.onFx(() -> window.browser().data().responses().id(
                window.browser().selectedRowProperty().get())));
    }

    /** A point inside the plot whose nearest neighbour on screen is more than twice the pick radius away. */
    private static int isolatedPoint(ScatterCanvas scatter, ClusterPicture p) {
        int n = p.size();
        double w = scatter.getWidth();
        double h = scatter.getHeight();
        double[] sx = new double[n];
        double[] sy = new double[n];
        for (int i = 0; i < n; i++) {
            Point2D s = scatter.toScreen(i);
            sx[i] = s.getX();
            sy[i] = s.getY();
        }
        double cx = w / 2;
        double cy = h / 2;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // candidates far from the middle first: outliers are the likely loners
        java.util.Arrays.sort(order, (a, b) -> Double.compare(Math.hypot(sx[b] - cx, sy[b] - cy),
                Math.hypot(sx[a] - cx, sy[a] - cy)));
        double need = 2 * ScatterCanvas.PICK_RADIUS;
        for (int c = 0; c < Math.min(n, 400); c++) {
            int i = order[c];
            if (sx[i] < 20 || sy[i] < 20 || sx[i] > w - 20 || sy[i] > h - 20) {
                continue;
            }
            boolean alone = true;
            for (int j = 0; j < n && alone; j++) {
                alone = j == i || Math.hypot(sx[j] - sx[i], sy[j] - sy[i]) > need;
            }
            if (alone) {
                return i;
            }
        }
        return -1;
    }
}
