package org.personalab.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void retriesOnlyTimeoutsRateLimitsAndServerErrors() {
        for (int s : new int[] {408, 429, 500, 502, 503, 504, 599}) {
            assertTrue(RetryPolicy.retryable(s), "" + s);
        }
        for (int s : new int[] {200, 400, 401, 403, 404, 409, 413, 422, 600}) {
            assertFalse(RetryPolicy.retryable(s), "" + s);
        }
    }

    @Test
    void backoffIsFullJitterUnderAGrowingCap() {
        RetryPolicy p = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofMillis(1000), Duration.ofMinutes(1), 0);
        SplittableRandom rnd = new SplittableRandom(7);
        for (int attempt = 1; attempt <= 8; attempt++) {
            long cap = Math.min(1000, 100L << (attempt - 1));
            Set<Long> seen = new HashSet<>();
            long max = 0;
            for (int i = 0; i < 2000; i++) {
                long d = p.delay(attempt, null, rnd).toMillis();
                assertTrue(d >= 0 && d <= cap, attempt + ": " + d);
                seen.add(d);
                max = Math.max(max, d);
            }
            assertTrue(seen.size() > 50, "jittered");
            assertTrue(max > cap * 0.9, "uses the whole range up to " + cap + ", max " + max);
        }
    }

    @Test
    void retryAfterOverridesTheBackoff() {
        RetryPolicy p = RetryPolicy.DEFAULT;
        assertEquals(Duration.ofSeconds(7), p.delay(1, Duration.ofSeconds(7), new SplittableRandom(1)));
    }

    @Test
    void parsesRetryAfterSecondsDatesAndMilliseconds() {
        Instant now = Instant.parse("2025-03-01T12:00:00Z");
        assertEquals(Duration.ofSeconds(30), RetryPolicy.parseRetryAfter("30", null, now));
        assertEquals(Duration.ofMillis(1500), RetryPolicy.parseRetryAfter("1.5", null, now));
        assertEquals(Duration.ofSeconds(90), RetryPolicy.parseRetryAfter("Sat, 01 Mar 2025 12:01:30 GMT", null, now));
        assertEquals(Duration.ZERO, RetryPolicy.parseRetryAfter("Sat, 01 Mar 2025 11:00:00 GMT", null, now));
        assertEquals(Duration.ofMillis(250), RetryPolicy.parseRetryAfter("30", "250", now));
        assertNull(RetryPolicy.parseRetryAfter(null, null, now));
        assertNull(RetryPolicy.parseRetryAfter("soon", null, now));
    }
}
