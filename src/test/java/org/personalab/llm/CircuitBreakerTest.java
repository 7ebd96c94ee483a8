package org.personalab.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    final AtomicLong now = new AtomicLong();
    final CircuitBreaker b = new CircuitBreaker("p", 3, Duration.ofSeconds(10), now::get);

    @Test
    void opensAfterConsecutiveFailuresOnly() {
        b.acquire();
        b.onFailure();
        b.acquire();
        b.onFailure();
        b.acquire();
        b.onSuccess(); // resets the count
        for (int i = 0; i < 2; i++) {
            b.acquire();
            b.onFailure();
        }
        assertEquals(CircuitBreaker.State.CLOSED, b.state());
        b.acquire();
        b.onFailure();
        assertEquals(CircuitBreaker.State.OPEN, b.state());
        LlmException.CircuitOpen e = assertThrows(LlmException.CircuitOpen.class, b::acquire);
        assertTrue(e.getMessage().contains("after 3 consecutive failures"), e.getMessage());
    }

    @Test
    void halfOpenLetsOneTrialThroughAndItsOutcomeDecides() {
        for (int i = 0; i < 3; i++) {
            b.acquire();
            b.onFailure();
        }
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertThrows(LlmException.CircuitOpen.class, b::acquire);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals(CircuitBreaker.State.HALF_OPEN, b.state());
        b.acquire();
        assertThrows(LlmException.CircuitOpen.class, b::acquire, "only one trial at a time");
        b.onFailure();
        assertEquals(CircuitBreaker.State.OPEN, b.state(), "a failed trial opens it again");
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        b.acquire();
        b.onAbandoned();
        b.acquire(); // an abandoned trial frees the slot
        b.onSuccess();
        assertEquals(CircuitBreaker.State.CLOSED, b.state());
        b.acquire();
        b.acquire();
    }
}
