package org.personalab.judge;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.personalab.inventory.Level;

/**
 * The level a spec states for one scale: an exact level ("High. Very creative ..."), a range ("Low to Medium"), or
 * none. Read the way {@link org.personalab.spec.SpecValidator} reads Big Five statements: the level words must open
 * the text; "moderate" and "average" mean Medium.
 *
 * @param low  the lower end (the level itself when exact), null when nothing is stated
 * @param high the upper end (equal to low when exact)
 */
public record StatedLevel(Level low, Level high) {

    /** Distance given to a scale whose level the spec does not state: the widest gap of the five-level scale. */
    public static final double UNSTATED = 4.0;
    /** Added to the distance of a range: a range is less precise than the exact level. */
    public static final double RANGE_PENALTY = 0.5;

    private static final String LEVEL = "(very\\s+low|very\\s+high|low|medium|moderate|average|high)";
    private static final Pattern LEADING = Pattern.compile("^\\W*" + LEVEL + "(?:\\s*(?:to|-|–|/)\\s*" + LEVEL
            + ")?\\b", Pattern.CASE_INSENSITIVE);

    public static final StatedLevel NONE = new StatedLevel(null, null);

    public static StatedLevel read(String text) {
        if (text == null) {
            return NONE;
        }
        Matcher m = LEADING.matcher(text);
        if (!m.find()) {
            return NONE;
        }
        Level a = level(m.group(1));
        Level b = m.group(2) == null ? a : level(m.group(2));
        return a.ordinal() <= b.ordinal() ? new StatedLevel(a, b) : new StatedLevel(b, a);
    }

    public boolean stated() {
        return low != null;
    }

    public boolean exact() {
        return low != null && low == high;
    }

    /** Level steps from the target: 0 when exact and right; a range costs {@link #RANGE_PENALTY} more. */
    public double distance(Level target) {
        if (!stated()) {
            return UNSTATED;
        }
        int t = target.ordinal();
        int gap = t < low.ordinal() ? low.ordinal() - t : t > high.ordinal() ? t - high.ordinal() : 0;
        return gap + (exact() ? 0 : RANGE_PENALTY);
    }

    @Override
    public String toString() {
        return !stated() ? "unstated" : exact() ? low.label() : low.label() + " to " + high.label();
    }

    private static Level level(String word) {
        String w = word.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        return switch (w) {
            case "moderate", "average" -> Level.MEDIUM;
            default -> Level.parse(w);
        };
    }
}
