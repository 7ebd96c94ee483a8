package org.personalab.judge;

/**
 * Two specs of the same person to compare, in the pair's own order: {@code specA} comes from the first source named
 * in the pairing (e.g. the first of two runs, the original of an edit, the lower sample index). Judges and annotators
 * may be shown the two the other way round; verdicts are always stored in this order.
 *
 * @param respondentId the person both specs describe
 * @param sourceA      where {@code specA} comes from, e.g. "run 3" or "original"
 * @param sourceB      where {@code specB} comes from
 */
public record SpecPair(long specA, long specB, long respondentId, String sourceA, String sourceB) {

    public SpecPair {
        if (specA == specB) {
            throw new IllegalArgumentException("a pair needs two different specs, got spec " + specA + " twice");
        }
    }
}
