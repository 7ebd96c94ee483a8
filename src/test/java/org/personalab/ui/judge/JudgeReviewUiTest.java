package org.personalab.ui.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.personalab.judge.JudgedPair;
import org.personalab.judge.ReviewState;
import org.personalab.judge.ReviewState.Queue;
import org.personalab.judge.RubricJudge;
import org.personalab.judge.Verdict;
import org.personalab.judge.VerdictOverride;
import org.personalab.service.JudgeService;
import org.personalab.service.JudgingFixture;
import org.personalab.task.TaskContext;
import org.personalab.task.ThreadPoolTaskExecutor;
import org.personalab.ui.FxWait;
import org.personalab.ui.UiTestData;
import org.personalab.ui.WorkbenchContext;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The judge review panel in a real window, headless, driven by the keyboard as an annotator would. */
@ExtendWith(ApplicationExtension.class)
class JudgeReviewUiTest {

    private ThreadPoolTaskExecutor executor;
    private JudgeReviewViewModel vm;
    private JudgingFixture fx;
    private long runId;

    @Start
    void start(Stage stage) throws Exception {
        Path dir = Files.createTempDirectory("personalab-judge-ui");
        fx = new JudgingFixture(dir, 24);
        JudgeService svc = new JudgeService(fx.ws);
        runId = svc.judge(svc.plan(new JudgeService.Request(fx.runA + ":" + fx.runB, "js:train", 0)),
                new RubricJudge(), 1, TaskContext.none()).runId();
        executor = new ThreadPoolTaskExecutor(2);
        WorkbenchContext ctx = new WorkbenchContext(executor, WorkbenchContext.FX, UiTestData.freshSettings());
        vm = new JudgeReviewViewModel(ctx);
        stage.setScene(new Scene(new JudgeReviewView(vm), 1200, 800));
        stage.show();
        ctx.workspaceProperty().set(fx.ws);
    }

    @AfterEach
    void stop() {
        executor.close();
    }

    @Test
    void anAnnotatorReviewsWithKeysOneTwoThreeEnterAndArrows(FxRobot robot) {
        FxWait.until("the run is loaded", () -> vm.runProperty().get() != null && !vm.items().isEmpty());
        int total = FxWait.onFx(() -> vm.items().size());
        robot.clickOn("#annotator").write("ana");
        FxWait.until("ana's queue is shown with the first pair", () -> vm.currentProperty().get() != null
                && vm.currentProperty().get().swapped() == ReviewState.swapped("ana",
                        vm.currentProperty().get().judged().id())
                && !vm.diff().isEmpty() && !vm.profileProperty().get().isEmpty());
        assertEquals(total, FxWait.onFx(() -> vm.queueSize(Queue.PENDING).get()));
        assertTrue(robot.lookup("#judgeSuggestion").queryAs(Label.class).getText().startsWith("Judge (rubric"));

        // 1) agree with the judge: its verdict's key, then Enter
        robot.clickOn("#judgeDiff");
        ReviewItem first = FxWait.onFx(() -> vm.currentProperty().get());
        Verdict agreeShown = first.toShown(first.judged().effective());
        robot.type(key(agreeShown));
        FxWait.until("the choice is shown", () -> vm.choiceProperty().get() == agreeShown);
        robot.type(KeyCode.ENTER);
        FxWait.until("the first review is saved and the next pair shown", () -> vm.queueSize(Queue.DONE).get() == 1
                && vm.currentProperty().get() != null && vm.currentProperty().get().judged().id()
                        != first.judged().id() && !vm.diff().isEmpty());

        // 2) disagree: Enter alone is refused until a reason is typed in the field that gets the focus
        ReviewItem second = FxWait.onFx(() -> vm.currentProperty().get());
        Verdict disagreeShown = second.toShown(second.judged().effective()) == Verdict.TIE ? Verdict.A : Verdict.TIE;
        robot.clickOn("#judgeDiff");
        robot.type(key(disagreeShown));
        robot.type(KeyCode.ENTER);
        FxWait.until("a reason is asked for", () -> vm.messageProperty().get().contains("type a reason")
                && robot.lookup("#judgeReason").query().isFocused());
        assertEquals(1, FxWait.onFx(() -> vm.queueSize(Queue.DONE).get()));
        robot.write("the spec on the left misstates two facets");
        robot.type(KeyCode.ENTER);
        FxWait.until("the second review is saved", () -> vm.queueSize(Queue.DONE).get() == 2
                && vm.progressProperty().get().startsWith("2 of " + total));

        // 3) arrows move through the queue
        robot.clickOn("#judgeDiff");
        int at = FxWait.onFx(() -> vm.indexProperty().get());
        robot.type(KeyCode.RIGHT);
        FxWait.until("moved right", () -> vm.indexProperty().get() == at + 1);
        robot.type(KeyCode.LEFT);
        FxWait.until("moved back", () -> vm.indexProperty().get() == at);
        assertEquals((at + 1) + " / " + (total - 2), robot.lookup("#judgePosition").queryAs(Label.class).getText());

        // what was stored: both reviews, in the pair's own order, with the order ana saw and the reason
        List<JudgedPair> judged = new JudgeService(fx.ws).judged(runId);
        VerdictOverride o1 = only(judged, first.judged().id());
        assertEquals("ana", o1.annotator());
        assertEquals(first.judged().effective(), o1.verdict());
        assertEquals(first.swapped(), o1.shownSwapped());
        assertNull(o1.reason());
        VerdictOverride o2 = only(judged, second.judged().id());
        assertEquals(second.toPair(disagreeShown), o2.verdict());
        assertEquals(second.judged().judgeVerdict(), o2.previous());
        assertEquals("the spec on the left misstates two facets", o2.reason());
        assertEquals(second.swapped(), o2.shownSwapped());
        assertTrue(robot.lookup("#judgeAgreement").queryAs(Label.class).getText().contains("κ judge vs ana"));
        assertTrue(robot.lookup("#judgeConsistency").queryAs(Label.class).getText().contains("1.000"));

        // the done queue holds both
        robot.clickOn("#queue-DONE");
        FxWait.until("the done queue", () -> vm.items().size() == 2);
        assertFalse(FxWait.onFx(() -> vm.items().stream().anyMatch(i -> i.judged().labelOf("ana") == null)));
    }

    private static VerdictOverride only(List<JudgedPair> judged, long id) {
        List<VerdictOverride> os = judged.stream().filter(j -> j.id() == id).findFirst().orElseThrow().overrides();
        assertEquals(1, os.size());
        return os.get(0);
    }

    private static KeyCode key(Verdict shown) {
        return switch (shown) {
            case A -> KeyCode.DIGIT1;
            case B -> KeyCode.DIGIT2;
            case TIE -> KeyCode.DIGIT3;
        };
    }
}
