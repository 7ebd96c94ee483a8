package org.personalab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.data.DatasetInfo;
import org.personalab.data.Sex;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;
import org.personalab.profile.ScoredDataset;
import org.personalab.task.ThreadPoolTaskExecutor;
import org.personalab.ui.browser.AnswerRow;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.matcher.control.LabeledMatchers;

/** The real window, headless: navigation, import, filters, find and the respondent detail. */
@ExtendWith(ApplicationExtension.class)
class WorkbenchUiTest {

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

    private void awaitLoaded() {
        FxWait.until("the demo dataset is loaded", () -> window.browser().data() != null
                && window.browser().rows().size() == window.browser().data().size()
                && !window.browser().busyProperty().get());
    }

    @Test
    void shellNavigatesToEveryPanelAndKeepsThem(FxRobot robot) {
        awaitLoaded();
        Node browser = robot.lookup("#panel-BROWSER").query();
        assertTrue(browser.isVisible());
        for (PanelId id : PanelId.values()) {
            robot.clickOn("#" + id.navId());
            assertEquals(id, window.shell().selectedPanelProperty().get());
            Node panel = robot.lookup("#panel-" + id.name()).query();
            assertTrue(panel.isVisible(), id + " shows");
            if (id.isPlaceholder()) {
                Label text = robot.lookup("#placeholder-" + id.name()).queryAs(Label.class);
                assertTrue(text.isVisible());
                assertTrue(text.getText().endsWith("coming in a later release."), text.getText());
                assertEquals(id.placeholderText(), text.getText());
                assertFalse(browser.isVisible(), "only one panel shows");
            }
        }
        assertTrue(robot.lookup("#placeholder-AGENT").queryAs(Label.class).getText()
                .startsWith("Talk to a persona agent"));
        assertTrue(robot.lookup("#placeholder-TRAINING").queryAll().isEmpty());
        assertTrue(robot.lookup("#placeholder-CLUSTERS").queryAll().isEmpty());
        assertTrue(robot.lookup("#placeholder-RESULTS").queryAll().isEmpty());
        assertTrue(robot.lookup("#placeholder-JUDGE").queryAll().isEmpty());
        robot.clickOn("#" + PanelId.BROWSER.navId());
        assertSame(browser, robot.lookup("#panel-BROWSER").query(), "the browser panel is kept, not rebuilt");
        assertTrue(browser.isVisible());
        assertEquals("1 dataset", robot.lookup("#statusDatasets").queryAs(Label.class).getText());
        assertTrue(robot.lookup("#statusWorkspace").queryAs(Label.class).getText().contains("personalab-ui-ws"));
    }

    @Test
    void importingAValidCsvThroughTheDialogAddsAndSelectsIt(FxRobot robot, @TempDir Path dir) {
        awaitLoaded();
        Path csv = UiTestData.writeCsv(dir, "survey.csv", 30, 5, 0);
        robot.clickOn("#importButton");
        robot.interact(() -> robot.lookup("#importFile").queryAs(TextField.class).setText(csv.toString()));
        robot.clickOn("#importName").write("survey-ui");
        robot.clickOn("#importOk");
        FxWait.until("the import is listed and selected", () -> window.browser().datasets().size() == 2
                && window.browser().selectedDatasetProperty().get() != null
                && window.browser().selectedDatasetProperty().get().name().equals("survey-ui")
                && window.browser().data() != null && window.browser().data().size() == 30);
        ListView<DatasetInfo> list = robot.lookup("#datasetList").queryListView();
        assertEquals(2, list.getItems().size());
        assertEquals("survey-ui", list.getSelectionModel().getSelectedItem().name());
        assertEquals(30, robot.lookup("#respondentTable").queryTableView().getItems().size());
        FxWait.until("the status bar counts 2 datasets",
                () -> "2 datasets".equals(robot.lookup("#statusDatasets").queryAs(Label.class).getText()));
    }

    @Test
    void aBadFileShowsEveryProblemAndLeavesTheWorkspaceUnchanged(FxRobot robot, @TempDir Path dir) {
        awaitLoaded();
        Path csv = UiTestData.writeCsv(dir, "broken.csv", 12, 9, 3);
        robot.clickOn("#importButton");
        robot.interact(() -> robot.lookup("#importFile").queryAs(TextField.class).setText(csv.toString()));
        robot.clickOn("#importOk");
        FxWait.until("the problems dialog shows", () -> robot.lookup("#importProblems").tryQuery().isPresent());
        ListView<String> problems = robot.lookup("#importProblems").queryListView();
        assertEquals(1, problems.getItems().size());
        assertTrue(problems.getItems().get(0).matches(".*broken\\.csv:4:\\d+: .*"), problems.getItems().get(0));
        assertEquals(org.personalab.ui.browser.ImportFailure.UNCHANGED,
                robot.lookup("#importUnchanged").queryAs(Label.class).getText());
        robot.clickOn(robot.lookup(".button").match(LabeledMatchers.hasText("Close")).queryButton());
        window.browser().refreshDatasets(null);
        FxWait.until("the list is read again", () -> !window.browser().busyProperty().get());
        assertEquals(1, FxWait.onFx(() -> window.browser().datasets().size()));
        assertEquals("1 dataset", robot.lookup("#statusDatasets").queryAs(Label.class).getText());
        assertEquals(10_000, FxWait.onFx(() -> window.browser().rows().size()), "the table still works");
    }

    @Test
    void filteringBySexAndLevelShowsTheIndependentlyCountedRows(FxRobot robot) {
        awaitLoaded();
        ScoredDataset d = window.browser().data();
        long women = IntStream.range(0, d.size()).filter(r -> d.responses().sex(r) == Sex.FEMALE).count();
        long highN = IntStream.range(0, d.size()).filter(r -> d.responses().sex(r) == Sex.FEMALE
                && d.level(r, Scale.N) == Level.VERY_HIGH).count();
        TableView<Integer> table = robot.lookup("#respondentTable").queryTableView();

        robot.clickOn("#filterSex");
        robot.clickOn(robot.lookup(".list-cell").match(LabeledMatchers.hasText("Female")).queryLabeled());
        FxWait.until("women only", () -> table.getItems().size() == women);
        assertEquals("Showing " + String.format("%,d", women) + " of 10,000 respondents",
                robot.lookup("#rowSummary").queryAs(Label.class).getText());

        robot.clickOn("#filterLevel");
        robot.clickOn(robot.lookup(".list-cell").match(LabeledMatchers.hasText("Very High")).queryLabeled());
        FxWait.until("very high neuroticism women", () -> table.getItems().size() == highN);
        for (int i = 0; i < table.getItems().size(); i++) {
            int row = table.getItems().get(i);
            assertEquals(Sex.FEMALE, d.responses().sex(row));
            assertEquals(Level.VERY_HIGH, d.level(row, Scale.N));
        }
        robot.clickOn("#clearFilters");
        FxWait.until("all rows again", () -> table.getItems().size() == d.size());
    }

    @Test
    void findByIdSelectsTheRowAndTheDetailShowsAll120Answers(FxRobot robot) {
        awaitLoaded();
        ScoredDataset d = window.browser().data();
        String id = d.responses().id(6543);
        robot.clickOn("#findId").write(id).type(KeyCode.ENTER);
        TableView<Integer> table = robot.lookup("#respondentTable").queryTableView();
        FxWait.until("the row is selected", () -> Integer.valueOf(6543).equals(table.getSelectionModel()
                .getSelectedItem()));
        robot.type(KeyCode.ENTER); // open the respondent
        FxWait.until("the detail shows", () -> ("Respondent " + id).equals(
                robot.lookup("#respondentTitle").queryAs(Label.class).getText()));
        TableView<AnswerRow> answers = robot.lookup("#answersTable").queryTableView();
        assertEquals(120, answers.getItems().size());
        AnswerRow first = answers.getItems().get(0);
        assertEquals(d.info().inventory().item(1).text(), first.text());
        assertEquals(d.responses().answer(6543, 1), first.stored());
        assertTrue(robot.lookup("#respondentNorms").queryAs(Label.class).getText()
                .endsWith(d.normGroup(6543).label()));
        robot.clickOn(robot.lookup(".tab-label").match(LabeledMatchers.hasText("Answers (120)")).queryLabeled());
        assertTrue(answers.isVisible());
    }

    @Test
    void theThemeSwitchesAndIsRemembered(FxRobot robot) {
        awaitLoaded();
        robot.clickOn("View").clickOn("#menuDark");
        List<String> sheets = window.stage().getScene().getStylesheets();
        assertTrue(sheets.get(0).endsWith("/assets/styles/base.css"));
        assertTrue(sheets.get(1).endsWith("/assets/styles/dark.css"), sheets.toString());
        assertEquals("dark", window.context().settings().theme());
        robot.clickOn("View").clickOn("#menuLight");
        assertTrue(window.stage().getScene().getStylesheets().get(1).endsWith("/assets/styles/light.css"));
        assertEquals("light", window.context().settings().theme());
    }
}
