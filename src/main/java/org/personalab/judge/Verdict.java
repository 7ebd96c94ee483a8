package org.personalab.judge;

import java.util.Locale;

/**
 * Which of two specs better matches the person: {@code A}, {@code B} or a tie. Stored as {@code A}, {@code B},
 * {@code tie}. Always read in some order of the two specs: a judge's answer is in the order it was shown, a stored
 * verdict in the pair's own order (A = {@code spec_a}); {@link #flip()} converts between a swapped order and the
 * pair's.
 */
public enum Verdict {
    A, B, TIE;

    /** The stored code: "A", "B" or "tie". */
    public String code() {
        return this == TIE ? "tie" : name();
    }

    /** The same verdict seen with the two specs swapped. */
    public Verdict flip() {
        return switch (this) {
            case A -> B;
            case B -> A;
            case TIE -> TIE;
        };
    }

    /** Reads "A", "B", "tie" (any case; also "1"/"2"/"3" as the review keys give them). */
    public static Verdict parse(String s) {
        if (s == null) {
            throw new IllegalArgumentException("no verdict (expected A, B or tie)");
        }
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "a", "1" -> A;
            case "b", "2" -> B;
            case "tie", "t", "3", "draw", "equal" -> TIE;
            default -> throw new IllegalArgumentException("unknown verdict '" + s + "' (expected A, B or tie)");
        };
    }
}
