package org.personalab.ui.clusters;

import java.util.ArrayList;
import java.util.List;

/** A {@link Delay} the test fires by hand: it records every scheduled action and whether it was cancelled. */
final class ManualDelay implements Delay {

    /** One scheduled action. */
    static final class Pending {
        final long millis;
        final Runnable action;
        boolean cancelled;
        boolean fired;

        Pending(long millis, Runnable action) {
            this.millis = millis;
            this.action = action;
        }
    }

    private final List<Pending> scheduled = new ArrayList<>();

    @Override
    public Runnable schedule(long millis, Runnable action) {
        Pending p = new Pending(millis, action);
        scheduled.add(p);
        return () -> p.cancelled = true;
    }

    List<Pending> scheduled() {
        return List.copyOf(scheduled);
    }

    /** Fires what is due and not cancelled, as a real timer would. */
    void fireLive() {
        for (Pending p : List.copyOf(scheduled)) {
            if (!p.cancelled && !p.fired) {
                p.fired = true;
                p.action.run();
            }
        }
    }

    /** Fires everything not fired yet, cancelled or not: a cancel that lost the race with the timer. */
    void fireAll() {
        for (Pending p : List.copyOf(scheduled)) {
            if (!p.fired) {
                p.fired = true;
                p.action.run();
            }
        }
    }
}
