package org.personalab.service;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.personalab.data.Sex;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;
import org.personalab.profile.ScoredDataset;
import org.personalab.task.TaskContext;

/**
 * Writes one row per respondent: {@code id,sex,age,country}, the 30 facet scores N1..C6, the 5 domain scores
 * N,E,O,A,C, then a {@code _level} column for each facet and domain. Sex is {@code male}, {@code female} or empty;
 * age 0 (unknown) is empty; a missing score or level is empty. Scores have 4 decimals. The file appears atomically:
 * it is written beside the target and moved into place.
 */
public final class ScoresExport {

    private ScoresExport() {
    }

    public static String header() {
        StringBuilder sb = new StringBuilder("id,sex,age,country");
        for (Scale s : Scale.values()) {
            sb.append(',').append(s.name());
        }
        for (Scale s : Scale.values()) {
            sb.append(',').append(s.name()).append("_level");
        }
        return sb.toString();
    }

    public static void write(ScoredDataset d, Path out, TaskContext ctx) throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + out.getFileName(), ".part");
        try {
            try (OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
                os.write((header() + "\n").getBytes(StandardCharsets.UTF_8));
                StringBuilder sb = new StringBuilder(1 << 16);
                int n = d.size();
                for (int r = 0; r < n; r++) {
                    row(d, r, sb);
                    if (sb.length() > 60_000) {
                        os.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                        sb.setLength(0);
                    }
                    if ((r & 16383) == 0) {
                        ctx.checkCancelled();
                        ctx.progress(r, n);
                    }
                }
                os.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static void row(ScoredDataset d, int r, StringBuilder sb) {
        var resp = d.responses();
        csv(sb, resp.id(r));
        sb.append(',');
        Sex s = resp.sex(r);
        sb.append(s == Sex.MALE ? "male" : s == Sex.FEMALE ? "female" : "");
        sb.append(',');
        if (resp.age(r) > 0) {
            sb.append(resp.age(r));
        }
        sb.append(',');
        csv(sb, resp.country(r));
        float[] scores = d.scores();
        int base = r * Scale.COUNT;
        for (int i = 0; i < Scale.COUNT; i++) {
            sb.append(',');
            decimal4(sb, scores[base + i]);
        }
        byte[] levels = d.placement().levels();
        for (int i = 0; i < Scale.COUNT; i++) {
            sb.append(',');
            Level l = Level.ofCode(levels[base + i]);
            if (l != null) {
                sb.append(l.label());
            }
        }
        sb.append('\n');
    }

    /** Appends x with exactly 4 decimals (half-up), nothing for NaN. */
    static void decimal4(StringBuilder sb, float x) {
        if (x != x) {
            return;
        }
        long v = Math.round(x * 10000.0);
        if (v < 0) {
            sb.append('-');
            v = -v;
        }
        sb.append(v / 10000).append('.');
        long frac = v % 10000;
        if (frac < 1000) {
            sb.append('0');
        }
        if (frac < 100) {
            sb.append('0');
        }
        if (frac < 10) {
            sb.append('0');
        }
        sb.append(frac);
    }

    private static void csv(StringBuilder sb, String v) {
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0) {
            sb.append('"').append(v.replace("\"", "\"\"")).append('"');
        } else {
            sb.append(v);
        }
    }
}
