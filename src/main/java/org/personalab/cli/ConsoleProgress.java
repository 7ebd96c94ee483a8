package org.personalab.cli;

import java.io.PrintWriter;
import org.personalab.task.TaskContext;

/** Reports task messages on stderr (progress is not drawn; it would only clutter logs). */
final class ConsoleProgress implements TaskContext {

    private final PrintWriter err;
    private final boolean quiet;

    ConsoleProgress(PrintWriter err) {
        this(err, false);
    }

    ConsoleProgress(PrintWriter err, boolean quiet) {
        this.err = err;
        this.quiet = quiet;
    }

    @Override
    public void progress(double done, double total) {
    }

    @Override
    public void message(String message) {
        if (!quiet) {
            err.println(message + "…");
        }
    }

    @Override
    public boolean isCancelled() {
        return Thread.currentThread().isInterrupted();
    }
}
