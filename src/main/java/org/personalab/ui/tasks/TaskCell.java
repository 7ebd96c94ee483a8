package org.personalab.ui.tasks;

import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.personalab.task.TaskState;

/** One task in the task list: title and state, message, progress bar with Cancel while running, error when failed. */
final class TaskCell extends ListCell<TaskItem> {

    private final Label title = new Label();
    private final Label state = new Label();
    private final Label message = new Label();
    private final Label error = new Label();
    private final ProgressBar progress = new ProgressBar();
    private final Button cancel = new Button("Cancel");
    private final HBox progressRow = new HBox(6, progress, cancel);
    private final VBox box;
    private TaskItem bound;

    TaskCell() {
        title.getStyleClass().add("task-title");
        title.setMinWidth(0);
        state.getStyleClass().add("task-state");
        state.setMinWidth(Region.USE_PREF_SIZE);
        message.getStyleClass().add("task-message");
        message.setWrapText(true);
        error.getStyleClass().add("task-error");
        error.setWrapText(true);
        progress.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(progress, Priority.ALWAYS);
        cancel.getStyleClass().addAll("small-button", "cancel-button");
        progressRow.setAlignment(Pos.CENTER_LEFT);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox head = new HBox(6, title, spacer, state);
        head.setAlignment(Pos.CENTER_LEFT);
        box = new VBox(3, head, message, progressRow, error);
        box.getStyleClass().add("task-box");
        box.setMinWidth(0);
        box.setPrefWidth(0);
        setContentDisplay(javafx.scene.control.ContentDisplay.GRAPHIC_ONLY);
        cancel.setOnAction(e -> {
            if (bound != null) {
                bound.cancel();
            }
        });
    }

    @Override
    protected void updateItem(TaskItem item, boolean empty) {
        super.updateItem(item, empty);
        unbind();
        if (empty || item == null) {
            setGraphic(null);
            setTooltip(null);
            return;
        }
        bound = item;
        title.textProperty().bind(item.titleProperty());
        message.textProperty().bind(item.messageProperty());
        error.textProperty().bind(item.errorProperty());
        state.textProperty().bind(Bindings.createStringBinding(() -> TaskItem.stateLabel(item.stateProperty().get()),
                item.stateProperty()));
        progress.progressProperty().bind(item.progressProperty());
        var active = Bindings.createBooleanBinding(item::isActive, item.stateProperty());
        progressRow.visibleProperty().bind(active);
        progressRow.managedProperty().bind(active);
        var failed = item.errorProperty().isNotEmpty();
        error.visibleProperty().bind(failed);
        error.managedProperty().bind(failed);
        var hasMessage = item.messageProperty().isNotEmpty();
        message.visibleProperty().bind(hasMessage);
        message.managedProperty().bind(hasMessage);
        item.stateProperty().addListener(stateListener);
        applyStateClass(item.stateProperty().get());
        Tooltip tip = new Tooltip();
        tip.textProperty().bind(Bindings.createStringBinding(() -> item.titleProperty().get() + "\n"
                + TaskItem.stateLabel(item.stateProperty().get()) + (item.errorProperty().get().isEmpty() ? ""
                        : "\n" + item.errorProperty().get()), item.stateProperty(), item.errorProperty()));
        tip.setWrapText(true);
        tip.setMaxWidth(420);
        setTooltip(tip);
        setGraphic(box);
    }

    private final javafx.beans.value.ChangeListener<TaskState> stateListener = (o, a, s) -> applyStateClass(s);

    private void applyStateClass(TaskState s) {
        state.getStyleClass().removeIf(c -> c.startsWith("state-"));
        state.getStyleClass().add("state-" + s.name().toLowerCase());
    }

    private void unbind() {
        if (bound != null) {
            bound.stateProperty().removeListener(stateListener);
        }
        bound = null;
        for (Label l : new Label[] {title, message, error, state}) {
            l.textProperty().unbind();
        }
        progress.progressProperty().unbind();
        progressRow.visibleProperty().unbind();
        progressRow.managedProperty().unbind();
        error.visibleProperty().unbind();
        error.managedProperty().unbind();
        message.visibleProperty().unbind();
        message.managedProperty().unbind();
    }
}
