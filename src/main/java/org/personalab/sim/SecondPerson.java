package org.personalab.sim;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.personalab.inventory.Item;

/**
 * An item as a grammatical second-person statement, "You worry about things.": MPI's rewrite where the inventory has
 * one (the 120-item form), else Johnson's first-person stem turned round ("Am afraid that I will do the wrong thing."
 * becomes "You are afraid that you will do the wrong thing."; "Willing to try anything once." gets its verb: "You are
 * willing…"). PAlign filled {@code "You {}."} with the raw stem and
 * produced "You Worry about things.." and "You am afraid that I will…".
 */
public final class SecondPerson {

    private static final Pattern WORD = Pattern.compile("\\b(I['’]m|I\\s+am|I['’]ve|I['’]d|I['’]ll|I|me|my|mine|"
            + "myself|am|Am)\\b");
    private static final Map<String, String> SWAP = Map.ofEntries(Map.entry("I'm", "you're"),
            Map.entry("I am", "you are"), Map.entry("I've", "you've"), Map.entry("I'd", "you'd"),
            Map.entry("I'll", "you'll"), Map.entry("I", "you"), Map.entry("me", "you"), Map.entry("my", "your"),
            Map.entry("mine", "yours"), Map.entry("myself", "yourself"), Map.entry("am", "are"),
            Map.entry("Am", "are"));

    /** Stems that open with an adjective rather than a verb ("Willing to try anything once."): they need "are". */
    private static final Pattern PREDICATIVE = Pattern.compile("^(willing|interested|afraid|able|unable|open|eager|"
            + "quick|slow|full|prone|happy|sure|fond)\\b.*", Pattern.CASE_INSENSITIVE);

    private SecondPerson() {
    }

    /** The full statement: "You " + the predicate + ".". */
    public static String statement(Item item) {
        return "You " + predicate(item) + ".";
    }

    /** The predicate after "You", lower-cased at the start, without final punctuation ("worry about things"). */
    public static String predicate(Item item) {
        String base = item.secondPerson() == null || item.secondPerson().isBlank() ? item.text() : item.secondPerson();
        return predicate(base);
    }

    /** Turns a first-person (or already second-person) stem into the predicate after "You". */
    public static String predicate(String stem) {
        String s = stem.strip().replaceAll("[.!?;,\\s]+$", "").replaceAll("\\s+", " ");
        Matcher m = WORD.matcher(s);
        StringBuilder out = new StringBuilder(s.length() + 8);
        while (m.find()) {
            String w = m.group(1).replace('’', '\'').replaceAll("\\s+", " ");
            m.appendReplacement(out, Matcher.quoteReplacement(SWAP.getOrDefault(w, w)));
        }
        m.appendTail(out);
        if (out.isEmpty()) {
            throw new IllegalArgumentException("an item needs a text");
        }
        if (out.length() > 1 && Character.isUpperCase(out.charAt(0)) && !Character.isUpperCase(out.charAt(1))) {
            out.setCharAt(0, Character.toLowerCase(out.charAt(0)));
        }
        return PREDICATIVE.matcher(out).matches() ? "are " + out : out.toString();
    }
}
