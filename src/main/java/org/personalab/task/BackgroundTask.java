package org.personalab.task;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One unit of long work: title, message, progress, cancel, and a result or a failure. It carries no UI types;
 * the ui layer observes it through {@link #addListener(Consumer)} and marshals to the FX thread itself.
 *
 * <p>{@code resumable} says whether the work can be picked up again after the application quits (a journaled
 * LLM run can; an import cannot). Quitting warns about running tasks that are not resumable.
 */
public final class BackgroundTask<T> implements TaskContext {

    private final String title;
    private final boolean resumable;
    private final Work<T> work;
    private final List<Consumer<BackgroundTask<T>>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<T>> onSuccess = new CopyOnWriteArrayList<>();
    private final List<Consumer<Throwable>> onFailure = new CopyOnWriteArrayList<>();
    private final CountDownLatch done = new CountDownLatch(1);

    private volatile TaskState state = TaskState.PENDING;
    private volatile String message = "";
    private volatile double progress = -1;
    private volatile boolean cancelled;
    private volatile T result;
    private volatile Throwable failure;
    private volatile Thread runner;
    private volatile Instant started;
    private volatile Instant finished;

    private BackgroundTask(String title, boolean resumable, Work<T> work) {
        this.title = Objects.requireNonNull(title);
        this.resumable = resumable;
        this.work = Objects.requireNonNull(work);
    }

    public static <T> BackgroundTask<T> of(String title, Work<T> work) {
        return new BackgroundTask<>(title, false, work);
    }

    public static <T> BackgroundTask<T> resumable(String title, Work<T> work) {
        return new BackgroundTask<>(title, true, work);
    }

    public BackgroundTask<T> onSuccess(Consumer<T> c) {
        onSuccess.add(c);
        return this;
    }

    public BackgroundTask<T> onFailure(Consumer<Throwable> c) {
        onFailure.add(c);
        return this;
    }

    /** Called (on the worker thread) whenever state, message or progress change. */
    public BackgroundTask<T> addListener(Consumer<BackgroundTask<T>> listener) {
        listeners.add(listener);
        return this;
    }

    /** Runs the work on the calling thread. Executors call this; it never throws. */
    public void run() {
        if (state != TaskState.PENDING) {
            return;
        }
        runner = Thread.currentThread();
        started = Instant.now();
        if (cancelled) {
            finish(TaskState.CANCELLED, null, new CancellationException("cancelled before start"));
            return;
        }
        state = TaskState.RUNNING;
        fire();
        try {
            T r = work.run(this);
            if (cancelled) {
                finish(TaskState.CANCELLED, null, new CancellationException("cancelled"));
            } else {
                finish(TaskState.SUCCEEDED, r, null);
            }
        } catch (CancellationException | InterruptedException e) {
            finish(TaskState.CANCELLED, null, e);
        } catch (Throwable e) {
            if (cancelled) {
                finish(TaskState.CANCELLED, null, e);
            } else {
                finish(TaskState.FAILED, null, e);
            }
        } finally {
            runner = null;
            Thread.interrupted(); // do not leak our interrupt into a pooled thread
        }
    }

    private void finish(TaskState s, T r, Throwable error) {
        result = r;
        failure = error;
        finished = Instant.now();
        if (s == TaskState.SUCCEEDED) {
            progress = 1;
        }
        state = s;
        if (s == TaskState.CANCELLED && message.isEmpty()) {
            message = "Cancelled";
        }
        fire();
        done.countDown();
        if (s == TaskState.SUCCEEDED) {
            onSuccess.forEach(c -> c.accept(r));
        } else if (s == TaskState.FAILED) {
            onFailure.forEach(c -> c.accept(error));
        }
    }

    /** Asks the work to stop: sets the flag it polls and interrupts its thread. */
    public void cancel() {
        if (state.isDone()) {
            return;
        }
        cancelled = true;
        Thread t = runner;
        if (t != null) {
            t.interrupt();
        }
        fire();
    }

    /** Waits for the end and returns the result; rethrows the failure. */
    public T get() throws Exception {
        done.await();
        return resultOrThrow();
    }

    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit);
    }

    private T resultOrThrow() throws Exception {
        return switch (state) {
            case SUCCEEDED -> result;
            case CANCELLED -> throw new CancellationException(title + " was cancelled");
            case FAILED -> failure instanceof Exception e ? rethrow(e) : rethrowError(failure);
            default -> throw new IllegalStateException("not done");
        };
    }

    private static <X> X rethrow(Exception e) throws Exception {
        throw e;
    }

    private static <X> X rethrowError(Throwable t) {
        throw (Error) t;
    }

    private void fire() {
        for (Consumer<BackgroundTask<T>> l : listeners) {
            try {
                l.accept(this);
            } catch (RuntimeException ignored) {
                // a broken listener must not kill the work
            }
        }
    }

    @Override
    public void progress(double done, double total) {
        double p = total <= 0 ? -1 : Math.max(0, Math.min(1, done / total));
        if (Math.abs(p - progress) >= 0.001 || (p < 0) != (progress < 0)) {
            progress = p;
            fire();
        }
    }

    @Override
    public void message(String m) {
        message = m == null ? "" : m;
        fire();
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    public String title() {
        return title;
    }

    public boolean isResumable() {
        return resumable;
    }

    public TaskState state() {
        return state;
    }

    public String message() {
        return message;
    }

    /** 0..1, or negative while indeterminate. */
    public double progress() {
        return progress;
    }

    public T result() {
        return result;
    }

    public Throwable failure() {
        return failure;
    }

    public Instant started() {
        return started;
    }

    public Instant finished() {
        return finished;
    }

    /** A one-line description of the failure and its causes, for the task list and error reports. */
    public String failureSummary() {
        return failure == null ? "" : Failures.describe(failure);
    }

    @Override
    public String toString() {
        return title + " [" + state + "]";
    }
}
