package org.personalab.ui.clusters;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The one daemon timer thread behind {@link Delay#on}: it only hands actions over to the UI thread. */
final class DebounceTimer {

    static final ScheduledExecutorService INSTANCE = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cluster-debounce");
        t.setDaemon(true);
        return t;
    });

    private DebounceTimer() {
    }
}
