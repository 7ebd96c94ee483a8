package org.personalab.llm;

import java.util.concurrent.CancellationException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.personalab.task.TaskContext;

/**
 * A provider's {@link Limits}: a semaphore for calls in flight and token buckets for requests and tokens per minute.
 * Waiting is cancellable: it polls the task and honours interrupts.
 */
public final class RateLimiter {

    private static final long POLL_MS = 50;
    private final Semaphore slots;
    private final TokenBucket requests;
    private final TokenBucket tokens;

    public RateLimiter(Limits limits) {
        this(limits, System::nanoTime);
    }

    RateLimiter(Limits limits, LongSupplier nanoTime) {
        slots = limits.maxConcurrent() > 0 ? new Semaphore(limits.maxConcurrent(), true) : null;
        requests = limits.requestsPerMinute() > 0 ? new TokenBucket(limits.requestsPerMinute(), nanoTime) : null;
        tokens = limits.tokensPerMinute() > 0 ? new TokenBucket(limits.tokensPerMinute(), nanoTime) : null;
    }

    /** Waits for a free slot and for room for one request of about {@code estimatedTokens} tokens. */
    public Permit acquire(int estimatedTokens, TaskContext task) {
        boolean slot = false;
        try {
            if (slots != null) {
                while (!slots.tryAcquire(POLL_MS, TimeUnit.MILLISECONDS)) {
                    task.checkCancelled();
                }
                slot = true;
            }
            while (true) {
                task.checkCancelled();
                long wait = tryTake(estimatedTokens);
                if (wait == 0) {
                    Permit p = new Permit(estimatedTokens, slot);
                    slot = false;
                    return p;
                }
                Thread.sleep(Math.max(1, Math.min(POLL_MS, TimeUnit.NANOSECONDS.toMillis(wait))));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for the rate limit");
        } finally {
            if (slot) {
                slots.release();
            }
        }
    }

    private synchronized long tryTake(int estimatedTokens) {
        long w = 0;
        if (requests != null) {
            w = Math.max(w, requests.waitFor(1));
        }
        if (tokens != null) {
            w = Math.max(w, tokens.waitFor(estimatedTokens));
        }
        if (w == 0) {
            if (requests != null) {
                requests.take(1);
            }
            if (tokens != null) {
                tokens.take(estimatedTokens);
            }
        }
        return w;
    }

    private synchronized void adjustTokens(double delta) {
        if (tokens != null) {
            tokens.adjust(delta);
        }
    }

    /** Slots free now (for tests and status); {@code Integer.MAX_VALUE} without a limit. */
    public int freeSlots() {
        return slots == null ? Integer.MAX_VALUE : slots.availablePermits();
    }

    /** One admitted call; close it when the call ends. */
    public final class Permit implements AutoCloseable {
        private final int estimated;
        private boolean holdsSlot;

        private Permit(int estimated, boolean holdsSlot) {
            this.estimated = estimated;
            this.holdsSlot = holdsSlot;
        }

        /** Corrects the tokens-per-minute account with the tokens the provider reported. */
        public void settle(int actualTokens) {
            adjustTokens(actualTokens - estimated);
        }

        @Override
        public void close() {
            if (holdsSlot) {
                holdsSlot = false;
                slots.release();
            }
        }
    }
}
