package org.personalab.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.personalab.task.BackgroundTask;
import org.personalab.task.TaskContext;
import org.personalab.task.TaskState;

class RateLimiterTest {

    final AtomicLong now = new AtomicLong();

    @Test
    void aBucketRefillsAtItsRatePerMinute() {
        TokenBucket b = new TokenBucket(60, now::get); // one per second
        for (int i = 0; i < 60; i++) {
            assertEquals(0, b.waitFor(1));
            b.take(1);
        }
        assertEquals(TimeUnit.SECONDS.toNanos(1), b.waitFor(1), 1000);
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(500), b.waitFor(1), 1000);
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
        assertEquals(0, b.waitFor(1));
        now.addAndGet(TimeUnit.HOURS.toNanos(1));
        assertEquals(60, b.available(), 1e-9, "never more than a minute's worth");
    }

    @Test
    void aTakeLargerThanTheBucketWaitsForAFullBucketAndGoesNegative() {
        TokenBucket b = new TokenBucket(1000, now::get);
        b.take(400);
        assertTrue(b.waitFor(5000) > 0);
        now.addAndGet(TimeUnit.SECONDS.toNanos(24)); // 400 tokens back
        assertEquals(0, b.waitFor(5000));
        b.take(5000);
        assertEquals(-4000, b.available(), 1e-6);
        b.adjust(-4500); // the call used 500 tokens, not 5000
        assertEquals(500, b.available(), 1e-6);
    }

    @Test
    void requestsPerMinuteAndTokensPerMinuteBothGateACall() throws Exception {
        RateLimiter l = new RateLimiter(new Limits(0, 2, 1000), now::get);
        l.acquire(100, TaskContext.none()).close();
        l.acquire(100, TaskContext.none()).close();
        // a third request must wait for the request bucket: cancel instead of waiting 30 s
        BackgroundTask<Void> t = BackgroundTask.of("wait", ctx -> {
            l.acquire(100, ctx).close();
            return null;
        });
        Thread th = new Thread(t::run);
        th.start();
        Thread.sleep(150);
        assertEquals(TaskState.RUNNING, t.state(), "waiting for the rate limit");
        t.cancel();
        assertTrue(t.await(2, TimeUnit.SECONDS));
        assertEquals(TaskState.CANCELLED, t.state());
        now.addAndGet(TimeUnit.SECONDS.toNanos(30));
        l.acquire(100, TaskContext.none()).close();
    }

    @Test
    void theConcurrencyLimitIsASlotPerCall() {
        RateLimiter l = new RateLimiter(new Limits(2, 0, 0));
        var a = l.acquire(1, TaskContext.none());
        var b = l.acquire(1, TaskContext.none());
        assertEquals(0, l.freeSlots());
        TaskContext cancelled = new TaskContext() {
            @Override
            public void progress(double d, double t) {
            }

            @Override
            public void message(String m) {
            }

            @Override
            public boolean isCancelled() {
                return true;
            }
        };
        assertThrows(CancellationException.class, () -> l.acquire(1, cancelled));
        a.close();
        a.close(); // closing twice frees one slot only
        assertEquals(1, l.freeSlots());
        b.close();
        assertEquals(2, l.freeSlots());
    }
}
