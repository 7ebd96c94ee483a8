package org.personalab.ui.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.geometry.Point2D;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.personalab.service.DemoWorkspace;
import org.personalab.task.RunRecord;
import org.personalab.task.ThreadPoolTaskExecutor;
import org.personalab.ui.FxWait;
import org.personalab.ui.MainWindow;
import org.personalab.ui.PanelId;
import org.personalab.ui.UiTestData;
import org.personalab.ui.WorkbenchContext;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * "Simulate…" in the real window, headless: the dialog, a bad field named, a psychometric simulation of the demo's
 * test part with shuffled items, then "Evaluate" on it and its row in the heatmap.
 */
@ExtendWith(ApplicationExtension.class)
class SimulateUiTest {

    private static final String TEST_PART = DemoWorkspace.SPLIT_SET + ":test";

    private ThreadPoolTaskExecutor executor;
    private MainWindow window;

    @BeforeAll
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

    /** Like {@link FxWait#until} with room for a whole simulation on a busy machine. */
    private static void longWait(String what, BooleanSupplier condition) {
        try {
            WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, () -> FxWait.onFx(condition::getAsBoolean));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting until " + what, e);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void aSimulationStartedFromTheDialogIsEvaluatedAndShownInTheHeatmap(FxRobot robot) {
        ResultsViewModel vm = window.results();
        SimulateViewModel sim = vm.simulate();
        FxWait.until("the workspace is open", () -> window.context().workspace() != null);
        robot.clickOn("#" + PanelId.RESULTS.navId());
        FxWait.until("the demo evaluation is shown", () -> vm.matrixProperty().get() != null);
        int evaluations = FxWait.onFx(() -> vm.evaluations().size());

        robot.clickOn("#results-simulate");
        FxWait.until("the dialog lists the spec runs", () -> robot.lookup("#simulateDialog").tryQuery().isPresent()
                && !sim.specRuns().isEmpty() && sim.splits().contains(TEST_PART));
        assertTrue(FxWait.onFx(() -> sim.specRunProperty().get().people()) == DemoWorkspace.SPEC_PEOPLE);

        // only the test part's people; a bad sample count is named and blocks Start
        robot.clickOn("#simSplit");
        robot.clickOn(TEST_PART);
        FxWait.until("the split part is chosen", () -> TEST_PART.equals(sim.splitProperty().get()));
        robot.doubleClickOn("#simSamples").write("0");
        FxWait.until("the bad field is named", () -> robot.lookup("#simProblem").queryAs(Label.class).getText()
                .startsWith("Samples '0'"));
        assertTrue(robot.lookup("#simStart").queryAs(Button.class).isDisabled());
        robot.doubleClickOn("#simSamples").write("1");
        robot.clickOn("#simShuffle").write("3");
        FxWait.until("the choices are valid", () -> sim.problemProperty().get().isEmpty()
                && "3".equals(sim.shuffleSeedProperty().get()));
        assertEquals(SimulateDialog.PSYCHOMETRIC_LABEL, FxWait.onFx(() -> robot.lookup("#simEngine")
                .queryComboBox().getConverter().toString(sim.engineProperty().get())));

        robot.clickOn("#simStart");
        FxWait.until("the simulation runs", () -> sim.runningProperty().get() || sim.lastRunProperty().get() != null);
        longWait("the simulation succeeds", () -> sim.lastRunProperty().get() != null);
        RunRecord run = FxWait.onFx(() -> sim.lastRunProperty().get());
        assertEquals(RunRecord.SUCCEEDED, run.status());
        assertTrue(FxWait.onFx(() -> robot.lookup("#simStatus").queryAs(Label.class).getText())
                .startsWith("Run " + run.id() + " succeeded: " + DemoWorkspace.SPEC_PEOPLE + " agents, 24,000 answered"));
        FxWait.until("the panel lists and chooses the new run", () -> vm.selectedSimulationProperty().get() != null
                && vm.selectedSimulationProperty().get().id() == run.id());
        Button evaluate = robot.lookup("#simEvaluate").queryAs(Button.class);
        assertEquals("Evaluate run " + run.id(), evaluate.getText());

        robot.clickOn("#simEvaluate");
        FxWait.until("the dialog closes", () -> robot.lookup("#simulateDialog").tryQuery().isEmpty());
        longWait("the new evaluation is shown", () -> vm.evaluations().size() == evaluations + 1
                && vm.matrixProperty().get() != null && vm.matrixProperty().get().keys().contains("run:" + run.id())
                && !vm.busyProperty().get());

        // the run's row in the heatmap: hovering its label shows it
        ResultsView view = (ResultsView) robot.lookup("#panel-RESULTS").query();
        HeatmapChart chart = view.chart();
        int row = FxWait.onFx(() -> vm.rowOrder().indexOf(vm.matrixProperty().get().keys().indexOf("run:"
                + run.id())));
        assertTrue(row >= 0, "the run's row is visible");
        double[] c = chart.cellCentre(row, -1);
        Point2D p = FxWait.onFx(() -> chart.localToScreen(c[0] - 40, c[1]));
        robot.moveTo(p);
        FxWait.until("the hover names the run", () -> chart.hoverTextProperty().get().startsWith("run " + run.id()
                + " (psychometric)"));
        assertFalse(FxWait.onFx(() -> sim.runningProperty().get()));
    }
}
