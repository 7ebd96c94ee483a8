package org.personalab.llm;

import java.util.function.LongSupplier;

/**
 * A token bucket refilled continuously at {@code perMinute} per minute, holding at most {@code perMinute}. A take
 * larger than the capacity waits for a full bucket and drives it negative, so large requests are slowed, not refused.
 * Not thread-safe: {@link RateLimiter} guards it.
 */
final class TokenBucket {

    private static final double NANOS_PER_MINUTE = 60e9;
    private final double capacity;
    private final double perNano;
    private final LongSupplier nanoTime;
    private double tokens;
    private long last;

    TokenBucket(int perMinute, LongSupplier nanoTime) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("a bucket needs a positive rate");
        }
        this.capacity = perMinute;
        this.perNano = perMinute / NANOS_PER_MINUTE;
        this.nanoTime = nanoTime;
        this.tokens = capacity;
        this.last = nanoTime.getAsLong();
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(capacity, tokens + (now - last) * perNano);
        last = now;
    }

    /** Nanoseconds until {@code n} can be taken; 0 when it can now. */
    long waitFor(double n) {
        refill();
        double need = Math.min(n, capacity);
        return tokens >= need ? 0 : (long) Math.ceil((need - tokens) / perNano);
    }

    /** Takes {@code n} (call after {@link #waitFor} returned 0). */
    void take(double n) {
        tokens -= n;
    }

    /** Corrects an earlier take by {@code delta} (negative gives tokens back). */
    void adjust(double delta) {
        refill();
        tokens = Math.min(capacity, tokens - delta);
    }

    double available() {
        refill();
        return tokens;
    }
}
