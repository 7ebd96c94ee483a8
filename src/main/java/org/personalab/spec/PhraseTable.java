package org.personalab.spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;

/**
 * One short behavioural statement per scale (30 facets and 5 domains) and level, read from the tab-separated
 * resource {@code facet-phrases.tsv} ({@code scale<TAB>level<TAB>phrase}; lines starting with '#' are comments).
 * The table must be complete: 35 × 5 phrases, no duplicates.
 */
public final class PhraseTable {

    public static final String RESOURCE = "facet-phrases.tsv";

    private final Map<Scale, String[]> phrases;

    private PhraseTable(Map<Scale, String[]> phrases) {
        this.phrases = phrases;
    }

    private static final class Holder {
        static final PhraseTable DEFAULT = load();
    }

    /** The built-in table. */
    public static PhraseTable standard() {
        return Holder.DEFAULT;
    }

    private static PhraseTable load() {
        try (InputStream in = PhraseTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the class path");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a phrase table; errors name {@code source} and the line. */
    public static PhraseTable parse(BufferedReader r, String source) throws IOException {
        Map<Scale, String[]> m = new EnumMap<>(Scale.class);
        String line;
        int no = 0;
        while ((line = r.readLine()) != null) {
            no++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split("\t", -1);
            String where = source + " line " + no + ": ";
            if (cells.length != 3 || cells[2].isBlank()) {
                throw new IllegalArgumentException(where + "expected scale<TAB>level<TAB>phrase");
            }
            Scale s;
            Level l;
            try {
                s = Scale.valueOf(cells[0].strip());
                l = Level.parse(cells[1]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage(), e);
            }
            String[] row = m.computeIfAbsent(s, k -> new String[Level.values().length]);
            if (row[l.ordinal()] != null) {
                throw new IllegalArgumentException(where + "second phrase for " + s + " " + l.label());
            }
            row[l.ordinal()] = cells[2].strip();
        }
        for (Scale s : Scale.values()) {
            for (Level l : Level.values()) {
                String[] row = m.get(s);
                if (row == null || row[l.ordinal()] == null) {
                    throw new IllegalArgumentException(source + ": no phrase for " + s + " " + l.label());
                }
            }
        }
        return new PhraseTable(m);
    }

    public String phrase(Scale s, Level l) {
        return phrases.get(s)[l.ordinal()];
    }
}
