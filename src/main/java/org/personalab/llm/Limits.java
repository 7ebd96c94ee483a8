package org.personalab.llm;

/**
 * How hard a provider may be used; 0 means no limit.
 *
 * @param maxConcurrent calls in flight at once
 * @param requestsPerMinute requests started per minute
 * @param tokensPerMinute prompt plus completion tokens per minute (estimated before, corrected after each call)
 */
public record Limits(int maxConcurrent, int requestsPerMinute, int tokensPerMinute) {

    public static final Limits NONE = new Limits(0, 0, 0);

    public Limits {
        if (maxConcurrent < 0 || requestsPerMinute < 0 || tokensPerMinute < 0) {
            throw new IllegalArgumentException("limits must be >= 0 (0 = no limit)");
        }
    }
}
