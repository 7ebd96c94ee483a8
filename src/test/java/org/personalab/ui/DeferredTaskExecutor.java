package org.personalab.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.personalab.task.BackgroundTask;
import org.personalab.task.TaskExecutor;

/** Holds submitted tasks until the test runs them, in any order: for testing that stale results are ignored. */
public final class DeferredTaskExecutor implements TaskExecutor {

    private final List<BackgroundTask<?>> tasks = new CopyOnWriteArrayList<>();
    private final List<BackgroundTask<?>> pending = new ArrayList<>();
    private final List<Consumer<BackgroundTask<?>>> listeners = new CopyOnWriteArrayList<>();

    @Override
    public <T> BackgroundTask<T> submit(BackgroundTask<T> task) {
        tasks.add(task);
        pending.add(task);
        listeners.forEach(l -> l.accept(task));
        return task;
    }

    /** Tasks not run yet, oldest first. */
    public List<BackgroundTask<?>> pending() {
        return List.copyOf(pending);
    }

    public void run(BackgroundTask<?> t) {
        pending.remove(t);
        t.run();
    }

    /** Runs everything pending (including what running tasks submit), oldest first. */
    public void runAll() {
        while (!pending.isEmpty()) {
            run(pending.get(0));
        }
    }

    @Override
    public List<BackgroundTask<?>> tasks() {
        return List.copyOf(tasks);
    }

    @Override
    public void onSubmit(Consumer<BackgroundTask<?>> listener) {
        listeners.add(listener);
    }

    @Override
    public void clearFinished() {
        tasks.removeIf(t -> t.state().isDone());
    }

    @Override
    public void close() {
    }
}
