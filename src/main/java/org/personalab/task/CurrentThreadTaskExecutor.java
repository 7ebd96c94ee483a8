package org.personalab.task;

/** Runs each task to its end on the submitting thread: deterministic, for tests and the CLI. */
public final class CurrentThreadTaskExecutor extends AbstractTaskExecutor {

    @Override
    public <T> BackgroundTask<T> submit(BackgroundTask<T> task) {
        register(task);
        task.run();
        return task;
    }

    @Override
    public void close() {
    }
}
