package org.personalab.task;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs tasks on daemon worker threads, independent of which panel is showing. */
public final class ThreadPoolTaskExecutor extends AbstractTaskExecutor {

    private final ExecutorService pool;

    public ThreadPoolTaskExecutor(int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory f = r -> {
            Thread t = new Thread(r, "personalab-task-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        pool = Executors.newFixedThreadPool(threads, f);
    }

    @Override
    public <T> BackgroundTask<T> submit(BackgroundTask<T> task) {
        register(task);
        pool.execute(task::run);
        return task;
    }

    @Override
    public void close() {
        tasks().forEach(BackgroundTask::cancel);
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
