package org.personalab.ui.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.engine.train.EventLog;
import org.personalab.task.TaskState;
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
 * The training panel in the real window, headless, with a real child JVM training the engine tests' tiny model: a
 * run ends with its curve and checkpoints listed, resumes from a chosen checkpoint, and an aborted run ends as
 * cancelled (its child process gone) while the workbench carries on.
 */
@ExtendWith(ApplicationExtension.class)
class TrainingUiTest {

    @TempDir
    static Path tmp;

    private ThreadPoolTaskExecutor executor;
    private MainWindow window;

    @Start
    void start(Stage stage) {
        executor = new ThreadPoolTaskExecutor(2);
        WorkbenchContext ctx = new WorkbenchContext(executor, WorkbenchContext.FX, UiTestData.freshSettings());
        window = new MainWindow(stage, ctx);
        window.show(tmp.resolve("ws"));
    }

    @AfterEach
    void stop() {
        executor.close();
    }

    /** The engine tests' tiny chat model (package-private there, so reached by reflection). */
    private static Path tinyModel(Path dir) throws Exception {
        Method write = Class.forName("org.personalab.engine.TinyChatModel").getDeclaredMethod("write", Path.class,
                long.class);
        write.setAccessible(true);
        return (Path) write.invoke(null, dir, 5L);
    }

    private static Path sftFile(Path file) throws Exception {
        List<String> lines = new ArrayList<>();
        String[][] qa = {{"O=high", "{\\\"o\\\":5}"}, {"O=low", "{\\\"o\\\":1}"}, {"C=high", "{\\\"c\\\":5}"},
                {"C=low", "{\\\"c\\\":1}"}};
        for (String[] p : qa) {
            lines.add("{\"messages\":[{\"role\":\"system\",\"content\":\"Make a spec.\"},{\"role\":\"user\","
                    + "\"content\":\"" + p[0] + "\"},{\"role\":\"assistant\",\"content\":\"" + p[1] + "\"}]}");
        }
        return Files.write(file, lines);
    }

    /** Child JVMs need longer than FxWait's 30 s on busy shared cores. */
    private static void waitLong(String what, BooleanSupplier condition) {
        try {
            WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, () -> FxWait.onFx(condition::getAsBoolean));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting until " + what, e);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void fill(TrainingViewModel vm, Path model, Path data, Path out, String maxSteps, String saveSteps) {
        FxWait.onFx(() -> {
            vm.field("model").set(model.toString());
            vm.field("train_dataset").set(data.toString());
            vm.field("output_dir").set(out.toString());
            vm.field("learning_rate").set("0.01");
            vm.field("max_steps").set(maxSteps);
            vm.field("save_steps").set(saveSteps);
            vm.field("logging_steps").set("1");
            vm.field("per_device_train_batch_size").set("2");
            vm.field("max_length").set("256");
            vm.field("r").set("4");
            vm.field("target_modules").set("all-linear");
            vm.field("heap").set("512m");
            return null;
        });
    }

    private static long trainChildren() {
        return ProcessHandle.current().descendants().filter(p -> p.info().commandLine().orElse("")
                .contains("org.personalab.engine.train.TrainMain")).count();
    }

    @Test
    void trainsShowsTheCurveResumesAndAborts(FxRobot robot) throws Exception {
        Path model = tinyModel(tmp.resolve("model"));
        Path data = sftFile(tmp.resolve("sft.jsonl"));
        Path out = tmp.resolve("run");
        TrainingViewModel vm = window.training();
        FxWait.until("the workspace is open", () -> window.context().workspace() != null);
        robot.clickOn("#" + PanelId.TRAINING.navId());
        fill(vm, model, data, out, "4", "2");

        robot.clickOn("#training-start");
        waitLong("the first run ends", () -> vm.stateProperty().get() != null
                && vm.stateProperty().get() != TaskState.RUNNING);
        assertEquals(TaskState.SUCCEEDED, FxWait.onFx(() -> vm.stateProperty().get()),
                FxWait.onFx(() -> vm.outcomeProperty().get()));
        TrainingView view = robot.lookup("#panel-TRAINING").queryAs(TrainingView.class);
        List<Integer> steps = FxWait.onFx(() -> view.chart().points().stream().map(TrainMonitor.LossPoint::step)
                .toList());
        assertEquals(List.of(1, 2, 3, 4), steps);
        assertTrue(FxWait.onFx(() -> view.chart().points().stream().allMatch(p -> p.loss() > 0
                && Double.isFinite(p.loss()))));
        assertTrue(FxWait.onFx(() -> vm.progressTextProperty().get()).startsWith("4 / 4 steps"),
                FxWait.onFx(() -> vm.progressTextProperty().get()));
        assertTrue(FxWait.onFx(() -> vm.tail().stream().anyMatch(l -> l.startsWith("done after step 4"))));
        // the last step's adapter is the run's output itself, not a checkpoint
        FxWait.until("the checkpoint is listed", () -> vm.checkpoints().equals(List.of(out.resolve("checkpoint-2"))));
        FxWait.until("the final adapter can be served", () -> vm.serveCommandProperty().get().endsWith(
                "--adapter " + out + " --port 8000"));

        // serve the final adapter in-process on a free port: the OpenAI-compatible server answers
        robot.clickOn("#training-serve-start");
        waitLong("the adapter is served", () -> vm.serveUrlProperty().get().startsWith("http://127.0.0.1:"));
        String url = FxWait.onFx(() -> vm.serveUrlProperty().get());
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(url + "/models")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"data\""), response.body());
        robot.clickOn("#training-serve-stop");
        FxWait.until("serving stopped", () -> vm.serveUrlProperty().get().isEmpty());

        // choose checkpoint-2: the serve command names it; resume from it trains steps 3 and 4 again
        ListView<?> list = robot.lookup("#training-checkpoints").queryListView();
        robot.clickOn(robot.from(list).lookup(".list-cell").nth(0).queryAs(javafx.scene.Node.class));
        FxWait.until("checkpoint-2 is selected", () -> out.resolve("checkpoint-2").equals(
                vm.selectedCheckpointProperty().get()));
        String serve = FxWait.onFx(() -> vm.serveCommandProperty().get());
        assertTrue(serve.startsWith("personalab serve --model " + model.toAbsolutePath())
                && serve.contains("--adapter " + out.resolve("checkpoint-2")), serve);
        robot.clickOn("#training-resume");
        waitLong("the resumed run ends", () -> vm.stateProperty().get() != TaskState.RUNNING
                && !vm.runningProperty().get());
        assertEquals(TaskState.SUCCEEDED, FxWait.onFx(() -> vm.stateProperty().get()),
                FxWait.onFx(() -> vm.outcomeProperty().get()));
        assertTrue(FxWait.onFx(() -> vm.tail().stream().anyMatch(l -> l.startsWith("resume: 4 examples, 4 steps "
                + "from step 2"))), FxWait.onFx(() -> vm.tail().toString()));
        assertEquals(List.of(1, 2, 3, 4), FxWait.onFx(() -> view.chart().points().stream()
                .map(TrainMonitor.LossPoint::step).toList()), "the resumed steps replace the first run's");

        // a long second run, aborted once it logs: cancelled, child gone, no end event, the workbench carries on
        Path out2 = tmp.resolve("run2");
        fill(vm, model, data, out2, "100000", "100000");
        robot.clickOn("#training-start");
        waitLong("the long run has logged a step", () -> !vm.points().isEmpty());
        robot.clickOn("#training-abort");
        waitLong("the aborted run ends", () -> !vm.runningProperty().get());
        assertEquals(TaskState.CANCELLED, FxWait.onFx(() -> vm.stateProperty().get()));
        assertTrue(FxWait.onFx(() -> vm.outcomeProperty().get()).startsWith("Aborted"));
        waitLong("no training child process is left", () -> trainChildren() == 0);
        assertFalse(Files.readString(out2.resolve(EventLog.FILE)).contains("\"end\""));
        assertTrue(FxWait.onFx(() -> window.stage().isShowing()));
        robot.clickOn("#" + PanelId.RESULTS.navId());
        FxWait.until("another panel still opens", () -> robot.lookup("#panel-RESULTS").query().isVisible());
    }
}
