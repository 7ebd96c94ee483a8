package org.personalab.llm;

import java.time.Duration;

/**
 * HTTP timeouts of one provider: to connect, between bytes while reading, and for a whole call (0 = none).
 */
public record Timeouts(Duration connect, Duration read, Duration call) {

    public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(120),
            Duration.ofSeconds(300));

    public Timeouts {
        for (Duration d : new Duration[] {connect, read, call}) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("timeouts must be given and >= 0");
            }
        }
    }
}
