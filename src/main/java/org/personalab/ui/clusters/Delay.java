package org.personalab.ui.clusters;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs an action on the UI thread after a delay, cancellably: the debounce of the cluster panel's recompute. Tests
 * pass their own to fire delays by hand.
 */
@FunctionalInterface
public interface Delay {

    /** Schedules {@code action}; the returned runnable cancels it (harmless after it ran). */
    Runnable schedule(long millis, Runnable action);

    /** A real delay on one shared daemon timer thread, handing the action to {@code ui}. */
    static Delay on(Executor ui) {
        return (millis, action) -> {
            ScheduledFuture<?> f = DebounceTimer.INSTANCE.schedule(() -> ui.execute(action), millis,
                    TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        };
    }
}
