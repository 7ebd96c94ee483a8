package org.personalab.task;

import java.util.List;
import java.util.function.Consumer;

/** Runs background tasks and keeps the list of tasks it has run (for the task list and the quit warning). */
public interface TaskExecutor extends AutoCloseable {

    <T> BackgroundTask<T> submit(BackgroundTask<T> task);

    /** Tasks submitted so far, oldest first. */
    List<BackgroundTask<?>> tasks();

    /** Called whenever a task is submitted. */
    void onSubmit(Consumer<BackgroundTask<?>> listener);

    /** Running or pending tasks that cannot resume after a restart. */
    default List<BackgroundTask<?>> unresumableActive() {
        return tasks().stream().filter(t -> !t.state().isDone() && !t.isResumable()).toList();
    }

    /** Removes finished tasks from the list. */
    void clearFinished();

    @Override
    void close();
}
