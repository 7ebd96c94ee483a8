package org.personalab.llm;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Stops calling a provider that keeps failing. Closed: calls pass; after {@code threshold} consecutive failures
 * (5xx, 408, timeouts, broken connections) it opens: calls fail at once without being sent. After {@code coolDown} it
 * is half-open: one trial call passes; its success closes the breaker, its failure opens it for another cool-down.
 * Any answer from the provider (including 429 and other 4xx) counts as a sign of life.
 */
public final class CircuitBreaker {

    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final String name;
    private final int threshold;
    private final long coolDownNanos;
    private final LongSupplier nanoTime;

    private State state = State.CLOSED;
    private int failures;
    private long openedAt;
    private boolean trialInFlight;

    public CircuitBreaker(String name, int threshold, Duration coolDown) {
        this(name, threshold, coolDown, System::nanoTime);
    }

    CircuitBreaker(String name, int threshold, Duration coolDown, LongSupplier nanoTime) {
        if (threshold < 1) {
            throw new IllegalArgumentException("breaker threshold must be at least 1");
        }
        this.name = name;
        this.threshold = threshold;
        this.coolDownNanos = coolDown.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Lets a call through or throws {@link LlmException.CircuitOpen}. */
    public synchronized void acquire() {
        if (state == State.OPEN && nanoTime.getAsLong() - openedAt >= coolDownNanos) {
            state = State.HALF_OPEN;
            trialInFlight = false;
        }
        switch (state) {
            case CLOSED -> {
            }
            case HALF_OPEN -> {
                if (trialInFlight) {
                    throw new LlmException.CircuitOpen(name + ": circuit half-open, a trial call is in flight");
                }
                trialInFlight = true;
            }
            case OPEN -> {
                long leftMs = Math.max(0, (coolDownNanos - (nanoTime.getAsLong() - openedAt)) / 1_000_000);
                throw new LlmException.CircuitOpen(name + ": circuit open after " + failures
                        + " consecutive failures; calls resume in " + leftMs + " ms");
            }
        }
    }

    /** The provider answered. */
    public synchronized void onSuccess() {
        failures = 0;
        state = State.CLOSED;
        trialInFlight = false;
    }

    /** The provider failed (server error, timeout, broken connection). */
    public synchronized void onFailure() {
        failures++;
        if (state == State.HALF_OPEN || failures >= threshold) {
            state = State.OPEN;
            openedAt = nanoTime.getAsLong();
        }
        trialInFlight = false;
    }

    /** The call ended without telling anything about the provider (cancelled). */
    public synchronized void onAbandoned() {
        trialInFlight = false;
    }

    public synchronized State state() {
        if (state == State.OPEN && nanoTime.getAsLong() - openedAt >= coolDownNanos) {
            return State.HALF_OPEN;
        }
        return state;
    }
}
