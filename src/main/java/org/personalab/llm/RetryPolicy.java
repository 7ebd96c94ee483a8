package org.personalab.llm;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.random.RandomGenerator;

/**
 * When and how long to wait before trying a call again. Retried: HTTP 408, 429 and 5xx, timeouts, broken connections
 * and truncated or unreadable bodies. Not retried: any other 4xx (the request itself is wrong; sending it again would
 * fail again). The wait is exponential backoff with full jitter (uniform in 0 .. min(maxDelay, baseDelay * 2^n)),
 * unless the provider says how long to wait ({@code Retry-After} in seconds or as an HTTP date, or
 * {@code retry-after-ms}); a wait longer than {@code maxRetryAfter} gives up instead.
 *
 * @param maxAttempts tries of one request in all (1 = no retry)
 * @param maxInvalidAnswers how many times an answer that is not valid JSON for its schema is asked again
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter,
        int maxInvalidAnswers) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(30),
            Duration.ofMinutes(2), 2);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (maxInvalidAnswers < 0) {
            throw new IllegalArgumentException("maxInvalidAnswers must be >= 0");
        }
        if (baseDelay.isNegative() || maxDelay.isNegative() || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("delays must be >= 0");
        }
    }

    /** Whether an HTTP status is worth another try. */
    public static boolean retryable(int status) {
        return status == 408 || status == 429 || (status >= 500 && status <= 599);
    }

    /**
     * The wait before try {@code failedAttempts + 1}: the provider's {@code retryAfter} when given, else full-jitter
     * exponential backoff.
     */
    public Duration delay(int failedAttempts, Duration retryAfter, RandomGenerator random) {
        if (retryAfter != null) {
            return retryAfter.isNegative() ? Duration.ZERO : retryAfter;
        }
        long base = Math.max(0, baseDelay.toMillis());
        int shift = Math.min(30, Math.max(0, failedAttempts - 1));
        long cap = Math.min(maxDelay.toMillis(), base << shift);
        return Duration.ofMillis(cap <= 0 ? 0 : random.nextLong(cap + 1));
    }

    /**
     * Parses {@code Retry-After} (delta seconds or an HTTP date, relative to {@code now}) or {@code retry-after-ms};
     * null when absent or unreadable.
     */
    public static Duration parseRetryAfter(String retryAfter, String retryAfterMs, Instant now) {
        if (retryAfterMs != null) {
            try {
                return Duration.ofMillis(Math.max(0, Math.round(Double.parseDouble(retryAfterMs.strip()))));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        if (retryAfter == null || retryAfter.isBlank()) {
            return null;
        }
        String v = retryAfter.strip();
        try {
            return Duration.ofMillis(Math.max(0, Math.round(Double.parseDouble(v) * 1000)));
        } catch (NumberFormatException ignored) {
            // an HTTP date
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(now, at);
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
