package org.personalab.judge;

import java.util.Locale;

/**
 * Where the two specs of each pair come from, as written after {@code --pairs}:
 * <ul>
 *   <li>{@code RUN_A:RUN_B} — the same person's spec from two spec-generation runs (two models, two engines);</li>
 *   <li>{@code edits:RUN} — each spec of a run against its latest edited version;</li>
 *   <li>{@code samples:RUN} — the samples of one run for the same person (sample 0 vs 1, 0 vs 2, 1 vs 2, ...).</li>
 * </ul>
 * A run is named by its id, its exact title or "latest". Run names containing ':' must be given by id.
 */
public sealed interface PairSource {

    /** The syntax, for messages and help. */
    String SYNTAX = "RUN_A:RUN_B, edits:RUN or samples:RUN (RUN: a spec run id, title or 'latest')";

    /** The text this source was read from, in canonical form. */
    String describe();

    record Runs(String runA, String runB) implements PairSource {
        @Override
        public String describe() {
            return runA + ":" + runB;
        }
    }

    record Edits(String run) implements PairSource {
        @Override
        public String describe() {
            return "edits:" + run;
        }
    }

    record Samples(String run) implements PairSource {
        @Override
        public String describe() {
            return "samples:" + run;
        }
    }

    /** @throws IllegalArgumentException naming the text and the expected syntax */
    static PairSource parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("--pairs: missing; expected " + SYNTAX);
        }
        String t = text.strip();
        int colon = t.indexOf(':');
        if (colon <= 0 || colon == t.length() - 1 || t.indexOf(':', colon + 1) >= 0) {
            throw new IllegalArgumentException("--pairs '" + text + "': expected " + SYNTAX);
        }
        String left = t.substring(0, colon).strip();
        String right = t.substring(colon + 1).strip();
        if (left.isEmpty() || right.isEmpty()) {
            throw new IllegalArgumentException("--pairs '" + text + "': expected " + SYNTAX);
        }
        return switch (left.toLowerCase(Locale.ROOT)) {
            case "edits" -> new Edits(right);
            case "samples" -> new Samples(right);
            default -> {
                if (left.equals(right)) {
                    throw new IllegalArgumentException("--pairs '" + text + "': the two runs are the same; to compare"
                            + " a run's samples use samples:" + left);
                }
                yield new Runs(left, right);
            }
        };
    }
}
