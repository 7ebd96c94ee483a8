package org.personalab.ui.judge;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.personalab.judge.ReviewState.Queue;
import org.personalab.judge.Verdict;
import org.personalab.task.RunRecord;
import org.personalab.ui.PanelHeader;
import org.personalab.ui.specs.LineDiff;

/**
 * The judge review panel: run, annotator and queue at the top; the person's profile, the two specs side by side with
 * their differences highlighted and the judge's suggestion in the middle; the dashboard on the right. Keyboard: 1 / 2
 * / 3 choose left / right / tie, Enter submits, the arrow keys move between judgments (inside a text field only Enter
 * acts). Everything it shows comes from {@link JudgeReviewViewModel}.
 */
public final class JudgeReviewView extends BorderPane {

    private final JudgeReviewViewModel vm;
    private final TextField reason = new TextField();

    public JudgeReviewView(JudgeReviewViewModel vm) {
        this.vm = vm;
        setId("panel-JUDGE");
        getStyleClass().addAll("panel", "judge-review");
        setTop(top());
        setCenter(center());
        setRight(dashboard());
        addEventFilter(KeyEvent.KEY_PRESSED, this::key);
        vm.reasonRequestsProperty().addListener((o, a, n) -> reason.requestFocus());
    }

    private void key(KeyEvent e) {
        boolean inText = e.getTarget() instanceof TextInputControl;
        if (e.getCode() == KeyCode.ENTER) {
            if (!inText || e.getTarget() == reason) {
                vm.submit();
                e.consume();
            }
            return;
        }
        if (inText) {
            return;
        }
        switch (e.getCode()) {
            case DIGIT1, NUMPAD1 -> vm.choose(Verdict.A);
            case DIGIT2, NUMPAD2 -> vm.choose(Verdict.B);
            case DIGIT3, NUMPAD3 -> vm.choose(Verdict.TIE);
            case LEFT, UP -> vm.previous();
            case RIGHT, DOWN -> vm.next();
            default -> {
                return;
            }
        }
        e.consume();
    }

    private Node top() {
        ComboBox<RunRecord> runs = new ComboBox<>(vm.runs());
        runs.setId("judgeRun");
        runs.setConverter(new StringConverter<>() {
            @Override
            public String toString(RunRecord r) {
                return r == null ? "" : "Run " + r.id() + ": " + r.title() + " (" + r.status() + ")";
            }

            @Override
            public RunRecord fromString(String s) {
                return null;
            }
        });
        runs.valueProperty().bindBidirectional(vm.runProperty());
        TextField who = new TextField();
        who.setId("annotator");
        who.setPromptText("Your name");
        who.setPrefColumnCount(10);
        who.textProperty().bindBidirectional(vm.annotatorProperty());
        ToggleGroup group = new ToggleGroup();
        HBox queues = new HBox(4);
        for (Queue q : Queue.values()) {
            ToggleButton b = new ToggleButton();
            b.setId("queue-" + q.name());
            b.setToggleGroup(group);
            b.setFocusTraversable(false);
            b.textProperty().bind(Bindings.concat(q.label(), " (", vm.queueSize(q), ")"));
            b.setSelected(vm.queueProperty().get() == q);
            b.setOnAction(e -> {
                vm.queueProperty().set(q);
                b.setSelected(true);
            });
            queues.getChildren().add(b);
        }
        HBox controls = new HBox(8, new Label("Run"), runs, new Label("Annotator"), who, queues);
        controls.setAlignment(Pos.CENTER_LEFT);
        VBox header = PanelHeader.of("Judge review", "Which spec portrays the person better? 1 = left, 2 = right, "
                + "3 = tie, Enter = submit, arrows = move");
        VBox box = new VBox(6, header, controls);
        box.setPadding(new Insets(8));
        return box;
    }

    private Node center() {
        TextArea profile = new TextArea();
        profile.setId("judgeProfile");
        profile.setEditable(false);
        profile.setFocusTraversable(false);
        profile.setWrapText(true);
        profile.setPrefColumnCount(28);
        profile.textProperty().bind(vm.profileProperty());
        Label profileTitle = new Label("Person");
        profileTitle.getStyleClass().add("section-title");
        VBox left = new VBox(4, profileTitle, profile);
        VBox.setVgrow(profile, Priority.ALWAYS);

        ListView<LineDiff.Row> diff = new ListView<>(vm.diff());
        diff.setId("judgeDiff");
        diff.getStyleClass().add("diff-list");
        diff.setCellFactory(l -> new DiffCell());
        diff.setPlaceholder(new Label("No judgment selected"));
        Label l = new Label("Left");
        Label r = new Label("Right");
        for (Label x : new Label[] {l, r}) {
            x.getStyleClass().add("section-title");
            x.setMaxWidth(Double.MAX_VALUE);
            HBox.setHgrow(x, Priority.ALWAYS);
        }
        Label position = new Label();
        position.setId("judgePosition");
        position.textProperty().bind(Bindings.createStringBinding(() -> vm.items().isEmpty() ? "0 / 0"
                : (vm.indexProperty().get() + 1) + " / " + vm.items().size(), vm.indexProperty(), vm.items()));
        Label suggestion = new Label();
        suggestion.setId("judgeSuggestion");
        suggestion.setWrapText(true);
        suggestion.textProperty().bind(vm.suggestionProperty());
        Label choice = new Label();
        choice.setId("judgeChoice");
        choice.textProperty().bind(Bindings.createStringBinding(() -> vm.choiceProperty().get() == null
                ? "Your verdict: —" : "Your verdict: " + switch (vm.choiceProperty().get()) {
                    case A -> "left";
                    case B -> "right";
                    case TIE -> "tie";
                }, vm.choiceProperty()));
        reason.setId("judgeReason");
        reason.setPromptText("Reason (needed when you disagree)");
        reason.textProperty().bindBidirectional(vm.reasonProperty());
        HBox.setHgrow(reason, Priority.ALWAYS);
        Button a = button("1  Left", () -> vm.choose(Verdict.A));
        Button b = button("2  Right", () -> vm.choose(Verdict.B));
        Button t = button("3  Tie", () -> vm.choose(Verdict.TIE));
        Button submit = button("Submit ⏎", vm::submit);
        submit.setId("judgeSubmit");
        submit.getStyleClass().add("accent-button");
        Button flag = button("Flag", vm::flag);
        flag.setId("judgeFlag");
        HBox actions = new HBox(6, a, b, t, choice, reason, submit, flag);
        actions.setAlignment(Pos.CENTER_LEFT);
        Label msg = new Label();
        msg.setId("judgeMessage");
        msg.getStyleClass().add("muted");
        msg.textProperty().bind(vm.messageProperty());
        VBox middle = new VBox(4, new HBox(8, l, position, r), diff, suggestion, actions, msg);
        VBox.setVgrow(diff, Priority.ALWAYS);
        HBox.setHgrow(middle, Priority.ALWAYS);
        HBox box = new HBox(8, left, middle);
        box.setPadding(new Insets(0, 8, 8, 8));
        return box;
    }

    private static Button button(String text, Runnable action) {
        Button b = new Button(text);
        b.setFocusTraversable(false);
        b.setOnAction(e -> action.run());
        return b;
    }

    private Node dashboard() {
        Label title = new Label("Dashboard");
        title.getStyleClass().add("section-title");
        VBox box = new VBox(6, title, bound("judgeProgress", vm.progressProperty()),
                bound("judgeAgreement", vm.agreementProperty()), bound("judgeConsistency",
                        vm.consistencyProperty()), bound("judgeCost", vm.costProperty()));
        box.setPadding(new Insets(8));
        box.setPrefWidth(260);
        box.getStyleClass().add("side-column");
        return box;
    }

    private static Label bound(String id, javafx.beans.value.ObservableValue<String> text) {
        Label l = new Label();
        l.setId(id);
        l.setWrapText(true);
        l.textProperty().bind(text);
        return l;
    }

    /** One side-by-side row of the diff, changed lines highlighted (the spec editor's styles). */
    static final class DiffCell extends ListCell<LineDiff.Row> {
        private final Label left = new Label();
        private final Label right = new Label();
        private final HBox box = new HBox(0, left, right);

        DiffCell() {
            for (Label l : new Label[] {left, right}) {
                l.setMaxWidth(Double.MAX_VALUE);
                l.setMinWidth(0);
                l.setPrefWidth(0);
                HBox.setHgrow(l, Priority.ALWAYS);
            }
            setPrefWidth(0);
            setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
            getStyleClass().add("diff-cell");
        }

        @Override
        protected void updateItem(LineDiff.Row r, boolean empty) {
            super.updateItem(r, empty);
            if (empty || r == null) {
                setGraphic(null);
                setText(null);
                return;
            }
            left.setText(r.left() == null ? "" : r.left());
            right.setText(r.right() == null ? "" : r.right());
            String k = r.kind().name().toLowerCase(java.util.Locale.ROOT);
            left.getStyleClass().setAll("label", "diff-line", r.left() == null ? "diff-blank" : "diff-left-" + k);
            right.getStyleClass().setAll("label", "diff-line", r.right() == null ? "diff-blank" : "diff-right-" + k);
            setText((r.left() == null ? "" : r.left()) + " | " + (r.right() == null ? "" : r.right()));
            setGraphic(box);
        }
    }
}
