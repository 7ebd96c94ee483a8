package org.personalab.ui.judge;

import org.personalab.judge.JudgedPair;
import org.personalab.judge.Verdict;

/**
 * One judgment as an annotator reviews it: the judgment and whether this annotator sees it swapped (spec B on the
 * left). "Left"/"right" verdicts convert to the pair's own A/B with {@link #toPair(Verdict)}.
 */
public record ReviewItem(JudgedPair judged, boolean swapped) {

    /** A verdict given on screen (A = left) in the pair's own order. */
    public Verdict toPair(Verdict shown) {
        return swapped ? shown.flip() : shown;
    }

    /** A verdict in the pair's order as seen on screen. */
    public Verdict toShown(Verdict pair) {
        return swapped ? pair.flip() : pair;
    }

    public long leftSpec() {
        return swapped ? judged.pair().specB() : judged.pair().specA();
    }

    public long rightSpec() {
        return swapped ? judged.pair().specA() : judged.pair().specB();
    }

    @Override
    public String toString() {
        return "#" + judged.id() + " person " + judged.pair().respondentId();
    }
}
