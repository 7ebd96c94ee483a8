package org.personalab.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Access to ../shared (real item keys and PAPI subjects). Tests that need it skip cleanly when it is absent. */
public final class Shared {

    private Shared() {
    }

    public static Path dir() {
        return Path.of(System.getProperty("personalab.shared", "../shared"));
    }

    /** The data file, or skips the calling test when ../shared is absent. */
    public static Path data(String name) {
        Path p = dir().resolve("data").resolve(name);
        assumeTrue(Files.isRegularFile(p), "../shared/data/" + name + " is not available; skipping");
        return p;
    }

    /** A plain CSV reader for the simple files in ../shared/data (quoted fields allowed). Row 0 is the header. */
    public static List<String[]> csv(Path file) {
        try {
            List<String[]> out = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isEmpty()) {
                    out.add(splitCsv(line));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String[] splitCsv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        cells.add(cur.toString());
        return cells.toArray(String[]::new);
    }

    public static int col(String[] header, String name) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column " + name);
    }
}
