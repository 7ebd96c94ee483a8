package org.personalab.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BackgroundTaskTest {

    @Test
    void currentThreadExecutorRunsToTheEndWithProgressAndResult() throws Exception {
        List<Double> progress = new ArrayList<>();
        AtomicReference<Integer> got = new AtomicReference<>();
        BackgroundTask<Integer> t = BackgroundTask.of("sum", ctx -> {
            int s = 0;
            for (int i = 1; i <= 4; i++) {
                s += i;
                ctx.progress(i, 4);
            }
            ctx.message("done adding");
            return s;
        }).addListener(x -> progress.add(x.progress())).onSuccess(got::set);
        try (CurrentThreadTaskExecutor ex = new CurrentThreadTaskExecutor()) {
            ex.submit(t);
            assertEquals(TaskState.SUCCEEDED, t.state());
            assertEquals(10, t.get());
            assertEquals(10, got.get());
            assertEquals("done adding", t.message());
            assertTrue(progress.contains(0.5));
            assertEquals(1.0, t.progress());
            assertEquals(List.of(t), ex.tasks());
        }
    }

    @Test
    void failureKeepsItsCauseChain() {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        BackgroundTask<Void> t = BackgroundTask.<Void>of("broken", ctx -> {
            throw new IllegalStateException("outer", new java.io.IOException("disk full"));
        }).onFailure(seen::set);
        new CurrentThreadTaskExecutor().submit(t);
        assertEquals(TaskState.FAILED, t.state());
        assertInstanceOf(IllegalStateException.class, seen.get());
        assertEquals("outer (caused by: disk full)", t.failureSummary());
        assertThrows(IllegalStateException.class, t::get);
    }

    @Test
    void cancelStopsRunningWorkOnAPool() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        try (ThreadPoolTaskExecutor ex = new ThreadPoolTaskExecutor(2)) {
            BackgroundTask<Void> t = ex.submit(BackgroundTask.of("forever", ctx -> {
                started.countDown();
                while (true) {
                    ctx.checkCancelled();
                    Thread.onSpinWait();
                }
            }));
            assertTrue(started.await(5, TimeUnit.SECONDS));
            assertEquals(1, ex.unresumableActive().size(), "a running non-resumable task is reported for the quit warning");
            t.cancel();
            assertTrue(t.await(5, TimeUnit.SECONDS));
            assertEquals(TaskState.CANCELLED, t.state());
            assertThrows(CancellationException.class, t::get);
            assertTrue(ex.unresumableActive().isEmpty());
            ex.clearFinished();
            assertTrue(ex.tasks().isEmpty());
        }
    }

    @Test
    void resumableTasksAreNotInTheQuitWarningAndSleepingWorkIsInterrupted() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        try (ThreadPoolTaskExecutor ex = new ThreadPoolTaskExecutor(2)) {
            BackgroundTask<Void> journaled = ex.submit(BackgroundTask.resumable("llm run", ctx -> {
                started.countDown();
                Thread.sleep(60_000);
                return null;
            }));
            BackgroundTask<Void> sleeper = ex.submit(BackgroundTask.of("import", ctx -> {
                started.countDown();
                Thread.sleep(60_000);
                return null;
            }));
            assertTrue(started.await(5, TimeUnit.SECONDS));
            assertEquals(List.of(sleeper), ex.unresumableActive());
            sleeper.cancel();
            journaled.cancel();
            assertTrue(sleeper.await(5, TimeUnit.SECONDS));
            assertEquals(TaskState.CANCELLED, sleeper.state());
        }
    }

    @Test
    void cancelledBeforeStartNeverRuns() {
        boolean[] ran = {false};
        BackgroundTask<Void> t = BackgroundTask.of("x", ctx -> {
            ran[0] = true;
            return null;
        });
        t.cancel();
        t.run();
        assertEquals(TaskState.CANCELLED, t.state());
        assertTrue(!ran[0]);
    }
}
