package org.personalab.task;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

abstract class AbstractTaskExecutor implements TaskExecutor {

    private final List<BackgroundTask<?>> tasks = new CopyOnWriteArrayList<>();
    private final List<Consumer<BackgroundTask<?>>> submitListeners = new CopyOnWriteArrayList<>();

    protected void register(BackgroundTask<?> task) {
        tasks.add(task);
        submitListeners.forEach(l -> l.accept(task));
    }

    @Override
    public List<BackgroundTask<?>> tasks() {
        return List.copyOf(tasks);
    }

    @Override
    public void onSubmit(Consumer<BackgroundTask<?>> listener) {
        submitListeners.add(listener);
    }

    @Override
    public void clearFinished() {
        tasks.removeIf(t -> t.state().isDone());
    }
}
