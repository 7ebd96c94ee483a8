package org.personalab.engine.hub;

import java.util.Locale;

/**
 * Where a download stands: the current file and the whole selection, in bytes, and the transfer rate over the last
 * few seconds (files skipped because they were already verified count as done but not towards the rate).
 *
 * @param fileIndex      1-based index of the current file among {@code files}
 * @param bytesPerSecond recent network rate; 0 before the first bytes
 */
public record DownloadProgress(String file, int fileIndex, int files, long fileDone, long fileTotal, long done,
        long total, double bytesPerSecond) {

    /** Overall fraction done, 0..1 (-1 when the total is unknown). */
    public double fraction() {
        return total <= 0 ? -1 : Math.min(1.0, (double) done / total);
    }

    /** E.g. {@code model.safetensors (3/9): 120.0 MB of 988.1 MB · 45 % of 1.2 GB · 24.5 MB/s}. */
    public String describe() {
        String s = file + " (" + fileIndex + "/" + files + "): " + bytes(fileDone) + " of " + bytes(fileTotal);
        if (total > 0) {
            s += String.format(Locale.ROOT, " · %d %% of %s", Math.round(100 * fraction()), bytes(total));
        }
        return bytesPerSecond > 0 ? s + " · " + rate(bytesPerSecond) : s;
    }

    /** Decimal units as the hub shows sizes: 988.1 MB. */
    public static String bytes(long b) {
        if (b < 0) {
            return "?";
        }
        if (b < 1000) {
            return b + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = b;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    public static String rate(double bytesPerSecond) {
        return bytes(Math.round(bytesPerSecond)) + "/s";
    }
}
