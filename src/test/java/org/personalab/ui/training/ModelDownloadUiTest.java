package org.personalab.ui.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.engine.hub.DownloadManifest;
import org.personalab.engine.hub.FakeHub;
import org.personalab.engine.hub.HubClient;
import org.personalab.engine.hub.HubTestModel;
import org.personalab.task.ThreadPoolTaskExecutor;
import org.personalab.ui.FxWait;
import org.personalab.ui.UiTestData;
import org.personalab.ui.WorkbenchContext;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The download dialog in a real (headless) window: type a repository, download, use the folder. */
@ExtendWith(ApplicationExtension.class)
class ModelDownloadUiTest {

    @TempDir
    Path tmp;

    private Stage stage;
    private ThreadPoolTaskExecutor executor;

    /**
     * The dialog's owner is a stage of its own: TestFX hands every test class the same primary stage, and a small
     * scene on it would leave the next class's main window that small.
     */
    @Start
    void start(Stage primary) {
        stage = new Stage();
        stage.setScene(new Scene(new StackPane(new Label("owner")), 200, 100));
        stage.show();
    }

    @AfterEach
    void stop() {
        if (executor != null) {
            executor.close();
        }
        if (stage != null) {
            FxWait.onFx(() -> {
                stage.close();
                return null;
            });
        }
    }

    @Test
    void downloadAndUseTheFolder(FxRobot robot) throws IOException {
        executor = new ThreadPoolTaskExecutor(1);
        try (FakeHub hub = new FakeHub("tiny-org/Tiny", HubTestModel.write(tmp.resolve("repo"), 9)).start()) {
            WorkbenchContext ctx = new WorkbenchContext(executor, WorkbenchContext.FX, UiTestData.freshSettings());
            ModelDownloadViewModel vm = new ModelDownloadViewModel(ctx, e -> HubClient.builder()
                    .endpoint(hub.endpoint()).retry(new HubClient.Retry(2, Duration.ofMillis(1), Duration.ofMillis(2)))
                    .build(), tmp.resolve("models"));
            ModelDownloadDialog dialog = FxWait.onFx(() -> {
                ModelDownloadDialog d = new ModelDownloadDialog(stage, vm);
                d.show();
                return d;
            });
            Node use = FxWait.onFx(() -> dialog.getDialogPane().lookupButton(ModelDownloadDialog.USE));
            assertTrue(use.isDisabled(), "nothing to use before a download");
            robot.clickOn("#modelRepo").write("tiny-org/Tiny");
            Path folder = tmp.resolve("models/tiny-org__Tiny");
            assertEquals(folder.toString(), FxWait.onFx(() -> robot.lookup("#modelFolder")
                    .queryTextInputControl().getText()));
            robot.clickOn("#modelDownload");
            FxWait.until("the folder can be used", () -> !use.isDisabled());
            assertTrue(FxWait.onFx(() -> robot.lookup("#modelStatus").queryLabeled().getText()).contains("OK"));
            assertEquals("", FxWait.onFx(() -> robot.lookup("#modelError").queryLabeled().getText()));
            assertTrue(FxWait.onFx(() -> robot.lookup("#modelCancel").query().isDisabled()), "nothing to cancel");
            assertFalse(FxWait.onFx(() -> robot.lookup("#modelDownload").query().isDisabled()));
            robot.clickOn(use);
            FxWait.until("the dialog closed", () -> !dialog.isShowing());
            assertEquals(folder, dialog.getResult());
            assertTrue(Files.exists(folder.resolve(DownloadManifest.FILE)));
        }
    }
}
