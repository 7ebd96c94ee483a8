package org.personalab.ui.tasks;

import java.util.concurrent.atomic.AtomicBoolean;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.personalab.task.BackgroundTask;
import org.personalab.task.TaskState;

/**
 * The UI-thread mirror of one {@link BackgroundTask}: its title, message, progress, state and failure as JavaFX
 * properties. {@link #refresh()} copies the task's current values; the list ViewModel calls it on the UI thread.
 */
public final class TaskItem {

    private final BackgroundTask<?> task;
    private final StringProperty title = new SimpleStringProperty();
    private final StringProperty message = new SimpleStringProperty("");
    private final DoubleProperty progress = new SimpleDoubleProperty(-1);
    private final ObjectProperty<TaskState> state = new SimpleObjectProperty<>(TaskState.PENDING);
    private final StringProperty error = new SimpleStringProperty("");
    /** True while a refresh is queued on the UI thread, so a chatty task does not flood it. */
    final AtomicBoolean refreshQueued = new AtomicBoolean();

    public TaskItem(BackgroundTask<?> task) {
        this.task = task;
        title.set(task.title());
        refresh();
    }

    /** Copies the task's current values into the properties (call on the UI thread). */
    public void refresh() {
        refreshQueued.set(false);
        message.set(switch (task.state()) {
            case SUCCEEDED -> finishedText();
            case CANCELLED -> "Cancelled";
            case FAILED -> "";
            default -> task.message();
        });
        progress.set(task.progress());
        state.set(task.state());
        error.set(task.state() == TaskState.FAILED ? task.failureSummary() : "");
    }

    private String finishedText() {
        if (task.started() == null || task.finished() == null) {
            return "Finished";
        }
        long ms = java.time.Duration.between(task.started(), task.finished()).toMillis();
        return ms < 1000 ? "Finished in " + ms + " ms" : String.format("Finished in %.1f s", ms / 1000.0);
    }

    public BackgroundTask<?> task() {
        return task;
    }

    public void cancel() {
        task.cancel();
    }

    public boolean isActive() {
        return !state.get().isDone();
    }

    public StringProperty titleProperty() {
        return title;
    }

    public StringProperty messageProperty() {
        return message;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    public ObjectProperty<TaskState> stateProperty() {
        return state;
    }

    public StringProperty errorProperty() {
        return error;
    }

    /** "Running", "Done", "Failed", ... for the list. */
    public static String stateLabel(TaskState s) {
        return switch (s) {
            case PENDING -> "Waiting";
            case RUNNING -> "Running";
            case SUCCEEDED -> "Done";
            case FAILED -> "Failed";
            case CANCELLED -> "Cancelled";
        };
    }
}
