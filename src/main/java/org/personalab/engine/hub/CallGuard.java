package org.personalab.engine.hub;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;
import okhttp3.Call;
import okhttp3.Response;
import org.personalab.task.TaskContext;

/**
 * Cancels an HTTP call as soon as its task is cancelled, even while the caller is blocked reading the body: a
 * virtual thread polls the task every 50 ms until the guard is closed. Without it, cancelling a stalled download
 * would wait for the read timeout.
 */
final class CallGuard implements AutoCloseable {

    private static final long POLL_NANOS = 50_000_000L;

    private final Call call;
    private final Thread watcher;
    private volatile boolean closed;

    private CallGuard(Call call, TaskContext ctx, Thread caller) {
        this.call = call;
        this.watcher = Thread.ofVirtual().name("hub-call-guard").start(() -> {
            while (!closed) {
                if (ctx.isCancelled() || caller.isInterrupted()) {
                    call.cancel();
                    return;
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
        });
    }

    static CallGuard watch(Call call, TaskContext ctx) {
        ctx.checkCancelled();
        return new CallGuard(call, ctx, Thread.currentThread());
    }

    /** Executes the guarded call. */
    Response execute() throws IOException {
        return call.execute();
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(watcher);
    }
}
