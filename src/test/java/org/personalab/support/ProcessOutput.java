package org.personalab.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Collects a child process's output on a daemon thread so the child never blocks on a full pipe; the kill-and-resume
 * tests read it to see how far the child got and print it when an assertion fails.
 */
public final class ProcessOutput extends Thread {

    private final Process p;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    private ProcessOutput(Process p) {
        this.p = p;
        setDaemon(true);
    }

    /** Starts draining {@code p}'s output. */
    public static ProcessOutput of(Process p) {
        ProcessOutput d = new ProcessOutput(p);
        d.start();
        return d;
    }

    @Override
    public void run() {
        try (var in = p.getInputStream()) {
            in.transferTo(buf);
        } catch (java.io.IOException ignored) {
            // the process was killed
        }
    }

    /** What the child wrote so far. */
    public String text() {
        synchronized (buf) {
            return buf.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public String toString() {
        return text();
    }
}
