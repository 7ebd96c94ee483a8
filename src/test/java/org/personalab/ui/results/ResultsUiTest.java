package org.personalab.ui.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javafx.geometry.Point2D;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.personalab.service.DemoWorkspace;
import org.personalab.task.ThreadPoolTaskExecutor;
import org.personalab.ui.FxWait;
import org.personalab.ui.MainWindow;
import org.personalab.ui.PanelId;
import org.personalab.ui.UiTestData;
import org.personalab.ui.WorkbenchContext;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The results panel in the real window, headless: heatmap hover, a baseline row, then drill into one agent. */
@ExtendWith(ApplicationExtension.class)
class ResultsUiTest {

    private ThreadPoolTaskExecutor executor;
    private MainWindow window;

    @org.junit.jupiter.api.BeforeAll
    static void demo() {
        UiTestData.prepareDemo();
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

    @Test
    void hoverShowsTheIntervalAndClickingTheRunRowDrillsIntoAnAgent(FxRobot robot) {
        ResultsViewModel vm = window.results();
        FxWait.until("the workspace is open", () -> window.context().workspace() != null);
        robot.clickOn("#" + PanelId.RESULTS.navId());
        FxWait.until("the demo evaluation is shown with the run's agents", () -> vm.matrixProperty().get() != null
                && vm.agents().size() == DemoWorkspace.SPEC_PEOPLE);
        ResultsView view = (ResultsView) robot.lookup("#panel-RESULTS").query();
        HeatmapChart chart = view.chart();

        // hover the run's Anxiety (N1) cell: its mean with the 95 % interval (the headless screen is small: stay left)
        double[] c = chart.cellCentre(0, vm.matrixProperty().get().columns().indexOf(
                org.personalab.inventory.Scale.N1));
        Point2D p = FxWait.onFx(() -> chart.localToScreen(c[0], c[1]));
        robot.moveTo(p);
        FxWait.until("the hover text names the cell", () -> chart.hoverTextProperty().get().contains("95 % CI"));
        assertTrue(robot.lookup("#results-hover").queryAs(Label.class).getText().contains("(N1)"));

        // a baseline row: selected, nothing to drill into
        int uniform = FxWait.onFx(() -> vm.rowOrder().indexOf(vm.matrixProperty().get().keys()
                .indexOf("baseline:uniform_random")));
        double[] b = chart.cellCentre(uniform, 1);
        robot.clickOn(FxWait.onFx(() -> chart.localToScreen(b[0], b[1])));
        FxWait.until("the baseline row is selected", () -> vm.agents().isEmpty()
                && vm.selectedRowProperty().get() == vm.matrixProperty().get().keys().indexOf("baseline:uniform_random"));

        // back to the run's row, then one agent's answers item by item
        robot.clickOn(FxWait.onFx(() -> chart.localToScreen(c[0], c[1])));
        FxWait.until("the run's agents are listed again", () -> vm.agents().size() == DemoWorkspace.SPEC_PEOPLE);
        TableView<?> agents = robot.lookup("#results-agents").queryTableView();
        javafx.scene.Node secondRow = robot.from(agents).lookup(".table-row-cell").nth(1).query();
        robot.clickOn(secondRow);
        FxWait.until("the agent's answers are shown", () -> vm.detailProperty().get() != null);
        TableView<?> items = robot.lookup("#results-items").queryTableView();
        FxWait.until("120 items", () -> items.getItems().size() == 120);
        Object clicked = FxWait.onFx(() -> agents.getSelectionModel().getSelectedItem());
        assertEquals(clicked, FxWait.onFx(() -> vm.selectedAgentProperty().get()));
        assertEquals(clicked, FxWait.onFx(() -> vm.detailProperty().get().agent()));
    }
}
