package org.personalab.ui.specs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Level;
import org.personalab.profile.PromptContext;
import org.personalab.service.DemoWorkspace;
import org.personalab.spec.Finding;
import org.personalab.task.ThreadPoolTaskExecutor;
import org.personalab.ui.FxWait;
import org.personalab.ui.MainWindow;
import org.personalab.ui.PanelId;
import org.personalab.ui.UiTestData;
import org.personalab.ui.WorkbenchContext;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The Specs panel in the real window, headless: pick a spec, break it in the form, see the finding, save it. */
@ExtendWith(ApplicationExtension.class)
class SpecEditorUiTest {

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
    void editingABigFiveStatementShowsTheFindingAndSavingAddsAVersion(FxRobot robot) {
        SpecEditorViewModel vm = window.specs();
        FxWait.until("the workspace is open", () -> window.context().workspace() != null);
        assertTrue(vm.runs().isEmpty(), "the hidden panel reads nothing");
        robot.clickOn("#" + PanelId.SPECS.navId());
        FxWait.until("the specs of the demo run are listed", () -> vm.specs().size() == DemoWorkspace.SPEC_PEOPLE
                && vm.selectedVersionProperty().get() != null && !vm.validatingProperty().get());
        assertTrue(robot.lookup("#panel-SPECS").query().isVisible());
        assertTrue(robot.lookup("#specEngineNote").queryAs(Label.class).getText()
                .contains("offline rule-based template engine"));

        ListView<SpecEntry> list = robot.lookup("#specList").queryListView();
        Node third = robot.from(list).lookup(".list-cell").nth(2).query();
        robot.clickOn(third);
        SpecEntry entry = FxWait.onFx(() -> list.getItems().get(2));
        FxWait.until("the third spec is open", () -> vm.selectedSpecProperty().get() == entry
                && vm.versions().size() == 1 && vm.selectedVersionProperty().get() != null
                && vm.targetProperty().get() != null && !vm.validatingProperty().get());
        assertEquals(entry.personId() + " — " + entry.agentName(),
                robot.lookup("#specTitle").queryAs(Label.class).getText());
        Level target = FxWait.onFx(() -> vm.targetProperty().get().level(Domain.C));
        assertEquals(target.label(), robot.lookup("#target-C").queryAs(Label.class).getText());
        String path = "$.persona.personality.big_five." + PromptContext.key(Domain.C);
        assertTrue(FxWait.onFx(() -> vm.findings().stream().noneMatch(f -> f.jsonPath().equals(path))));

        Level wrong = target == Level.VERY_LOW ? Level.VERY_HIGH : Level.VERY_LOW;
        robot.clickOn("#form-bigFive-C").press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL)
                .write(wrong.label() + ". Plans nothing.");
        TextArea statement = robot.lookup("#form-bigFive-C").queryAs(TextArea.class);
        FxWait.until("the wrong level is a finding", () -> !vm.validatingProperty().get()
                && vm.findings().stream().anyMatch(f -> f.jsonPath().equals(path)
                        && f.severity() == Finding.Severity.ERROR));
        ListView<Finding> findings = robot.lookup("#specFindings").queryListView();
        assertTrue(FxWait.onFx(() -> findings.getItems().stream().anyMatch(f -> f.jsonPath().equals(path))));
        assertTrue(statement.getStyleClass().contains("field-error"));
        assertTrue(FxWait.onFx(() -> vm.documentProperty().get().contains(wrong.label() + ". Plans nothing.")));
        assertEquals("Unsaved changes", robot.lookup("#specState").queryAs(Label.class).getText());

        robot.clickOn("#specAuthor").write("carol");
        robot.clickOn("#specSave");
        FxWait.until("the second version is listed", () -> vm.versions().size() == 2
                && list.getItems().get(2).versions() == 2);
        ListView<SpecVersion> versions = robot.lookup("#specVersions").queryListView();
        assertEquals(2, versions.getItems().size());
        assertTrue(versions.getItems().get(1).label().startsWith("v2 · carol · "));
        assertEquals(entry.rootSpecId(), list.getItems().get(2).rootSpecId());
        assertEquals("Saved", robot.lookup("#specState").queryAs(Label.class).getText());
        assertTrue(robot.lookup("#specSave").query().isDisabled(), "nothing left to save");
    }
}
