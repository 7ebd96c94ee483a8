package org.personalab.ui.tasks;

import java.util.List;
import java.util.concurrent.Executor;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.personalab.task.BackgroundTask;
import org.personalab.task.TaskExecutor;

/**
 * Every task the executor has run, newest first, kept up to date from the worker threads through the UI executor.
 * Also counts the running tasks and remembers the latest task message for the status bar.
 */
public final class TaskListViewModel {

    private final TaskExecutor executor;
    private final Executor ui;
    private final ObservableList<TaskItem> items = FXCollections.observableArrayList();
    private final IntegerProperty running = new SimpleIntegerProperty(this, "running");
    private final StringProperty lastMessage = new SimpleStringProperty(this, "lastMessage", "");

    public TaskListViewModel(TaskExecutor executor, Executor ui) {
        this.executor = executor;
        this.ui = ui;
        executor.tasks().forEach(this::track);
        executor.onSubmit(this::track);
    }

    private void track(BackgroundTask<?> task) {
        TaskItem item = new TaskItem(task);
        // attach on the submitting thread, before the work starts, so no change is missed
        addListener(task, item);
        ui.execute(() -> {
            items.add(0, item);
            item.refresh();
            recount();
        });
    }

    private <T> void addListener(BackgroundTask<T> task, TaskItem item) {
        task.addListener(t -> {
            if (item.refreshQueued.compareAndSet(false, true)) {
                ui.execute(() -> {
                    item.refresh();
                    if (!t.message().isBlank() && !t.state().isDone()) {
                        lastMessage.set(t.title() + ": " + t.message());
                    }
                    recount();
                });
            }
        });
    }

    private void recount() {
        running.set((int) items.stream().filter(TaskItem::isActive).count());
    }

    /** Removes finished tasks (done, failed or cancelled) from the list and from the executor. */
    public void clearFinished() {
        executor.clearFinished();
        items.removeIf(i -> !i.isActive());
        recount();
    }

    /** Running or waiting tasks that cannot resume after a restart (quitting would lose their work). */
    public List<BackgroundTask<?>> unresumableActive() {
        return executor.unresumableActive();
    }

    public ObservableList<TaskItem> items() {
        return items;
    }

    public ReadOnlyIntegerProperty runningProperty() {
        return running;
    }

    public ReadOnlyStringProperty lastMessageProperty() {
        return lastMessage;
    }
}
