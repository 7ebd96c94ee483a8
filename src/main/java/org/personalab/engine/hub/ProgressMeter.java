package org.personalab.engine.hub;

import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.personalab.task.TaskContext;

/**
 * Counts a download's bytes per file and overall, measures the rate over a sliding window, and reports to the task
 * (progress; the downloader writes the messages) and an optional listener at most every {@value #REPORT_MS} ms, plus
 * at every file boundary.
 * Used from the one downloading thread.
 */
final class ProgressMeter {

    static final long REPORT_MS = 200;
    private static final long WINDOW_NANOS = 5_000_000_000L;

    private final TaskContext ctx;
    private final Consumer<DownloadProgress> listener;
    private final long total;
    private final int files;
    private final ArrayDeque<long[]> samples = new ArrayDeque<>();
    private long doneBeforeFile;
    private long fileDone;
    private long fileTotal;
    private String file = "";
    private int fileIndex;
    private boolean inFile;
    private long transferred;
    private long lastReport;

    ProgressMeter(TaskContext ctx, Consumer<DownloadProgress> listener, long total, int files) {
        this.ctx = ctx;
        this.listener = listener;
        this.total = total;
        this.files = files;
    }

    /** Starts file {@code index} (1-based) of {@code size} bytes. */
    void startFile(int index, HubFile f) {
        file = f.path();
        fileIndex = index;
        fileTotal = f.size();
        fileDone = 0;
        inFile = true;
        report(true);
    }

    /** The current file's bytes on disk are now {@code bytes} (a resume starts above 0; a restart goes back to 0). */
    void fileAt(long bytes) {
        fileDone = bytes;
        report(false);
    }

    /** {@code n} more bytes arrived over the network. */
    void transferred(int n) {
        fileDone += n;
        transferred += n;
        report(false);
    }

    /** The current file is complete (downloaded, or skipped because it was already verified). */
    void finishFile() {
        fileDone = Math.max(fileTotal, fileDone);
        doneBeforeFile += fileDone;
        inFile = false;
        report(true);
    }

    long transferredBytes() {
        return transferred;
    }

    private void report(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastReport < REPORT_MS * 1_000_000) {
            return;
        }
        lastReport = now;
        samples.addLast(new long[] {now, transferred});
        while (samples.size() > 2 && now - samples.peekFirst()[0] > WINDOW_NANOS) {
            samples.removeFirst();
        }
        long[] first = samples.peekFirst();
        double secs = (now - first[0]) / 1e9;
        double rate = secs > 0.05 ? (transferred - first[1]) / secs : 0;
        long done = doneBeforeFile + (inFile ? fileDone : 0);
        DownloadProgress p = new DownloadProgress(file, fileIndex, files, fileDone, fileTotal,
                Math.min(done, total), total, rate);
        ctx.progress(p.done(), total);
        if (listener != null) {
            listener.accept(p);
        }
    }
}
