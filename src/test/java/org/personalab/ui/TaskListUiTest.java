package org.personalab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.DialogPane;
import javafx.stage.WindowEvent;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.personalab.task.BackgroundTask;
import org.personalab.task.TaskState;
import org.personalab.task.ThreadPoolTaskExecutor;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.matcher.control.LabeledMatchers;

/** The task list in the real window: progress, Cancel, errors with their cause, Clear finished. */
@ExtendWith(ApplicationExtension.class)
class TaskListUiTest {

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
    void runningTaskCanBeCancelledAndFailuresShowTheirCause(FxRobot robot) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        BackgroundTask<Object> slow = executor.submit(BackgroundTask.of("Slow job", c -> {
            c.message("working hard");
            started.countDown();
            while (true) {
                c.checkCancelled();
                Thread.sleep(5);
            }
        }));
        started.await();
        FxWait.until("the running task shows with a Cancel button", () -> robot.lookup(".cancel-button")
                .match(Node::isVisible).tryQuery().isPresent());
        assertTrue(window.shell().quitWarning().orElseThrow().contains("Slow job"));
        assertTrue(robot.lookup("#statusRunning").queryAs(Label.class).getText().contains("running"));
        robot.clickOn(robot.lookup(".cancel-button").match(Node::isVisible).queryButton());
        assertTrue(slow.await(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(TaskState.CANCELLED, slow.state());

        executor.submit(BackgroundTask.of("Broken job", c -> {
            throw new IllegalArgumentException("bad parameter", new java.io.IOException("file vanished"));
        }));
        FxWait.until("the failure shows", () -> robot.lookup(".task-error")
                .match(LabeledMatchers.hasText("bad parameter (caused by: file vanished)")).tryQuery().isPresent());
        FxWait.until("the state label says Failed", () -> robot.lookup(".state-failed")
                .match(LabeledMatchers.hasText("Failed")).tryQuery().isPresent());
        FxWait.until("everything else finished", () -> window.shell().tasks().runningProperty().get() == 0);
        robot.clickOn("#clearFinished");
        assertEquals(0, (int) FxWait.onFx(() -> window.shell().tasks().items().size()));
        assertTrue(window.shell().quitWarning().isEmpty());
    }

    @Test
    void closingTheWindowDuringUnresumableWorkAsksFirstAndNamesIt(FxRobot robot) throws Exception {
        FxWait.until("the workspace is loaded", () -> window.browser().data() != null
                && window.shell().tasks().runningProperty().get() == 0);
        CountDownLatch release = new CountDownLatch(1);
        executor.submit(BackgroundTask.of("Import IPIP120.dat", c -> {
            release.await();
            return null;
        }));
        FxWait.until("it runs", () -> window.shell().tasks().runningProperty().get() == 1);
        Stage stage = window.stage();
        Platform.runLater(() -> stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST)));
        FxWait.until("the confirmation shows", () -> robot.lookup("#quitConfirmation").tryQuery().isPresent());
        DialogPane pane = robot.lookup("#quitConfirmation").query();
        assertTrue(pane.getContentText().contains("Import IPIP120.dat"), pane.getContentText());
        robot.clickOn(robot.lookup(".button").match(LabeledMatchers.hasText("Keep working")).queryButton());
        FxWait.until("the question is answered", () -> robot.lookup("#quitConfirmation").tryQuery().isEmpty());
        assertTrue(stage.isShowing(), "keeping on working keeps the window open");
        release.countDown();
        FxWait.until("the work ends", () -> window.shell().tasks().runningProperty().get() == 0);
        assertTrue(window.confirmQuit(), "nothing to lose any more: no question");
    }
}
