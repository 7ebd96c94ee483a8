package org.personalab.task;

import java.util.concurrent.CancellationException;

/** What running work sees of its task: report progress and messages, and notice cancellation. */
public interface TaskContext {

    /** Progress as {@code done} of {@code total}; a negative total means indeterminate. */
    void progress(double done, double total);

    void message(String message);

    boolean isCancelled();

    /** Throws {@link CancellationException} when the task was cancelled; call it in loops. */
    default void checkCancelled() {
        if (isCancelled() || Thread.currentThread().isInterrupted()) {
            throw new CancellationException("cancelled");
        }
    }

    /** A context that reports nowhere and is never cancelled (for direct calls from the CLI and tests). */
    static TaskContext none() {
        return new TaskContext() {
            @Override
            public void progress(double done, double total) {
            }

            @Override
            public void message(String message) {
            }

            @Override
            public boolean isCancelled() {
                return false;
            }
        };
    }
}
