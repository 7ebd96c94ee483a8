package org.personalab.judge;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Combines a judge's answers for the two presentation orders of a pair (AB, then BA with the specs swapped). The seed
 * project showed its judge the specs in one fixed order, so any preference for a position went straight into the
 * DPO labels; here every pair is judged both ways:
 * <ul>
 *   <li>both orders name the same winner (or both a tie): that verdict, with the mean confidence;</li>
 *   <li>they name opposite winners (the signature of position bias): a tie with confidence 0, flagged;</li>
 *   <li>one names a winner and the other a tie: that winner with half its confidence, flagged;</li>
 *   <li>an answer is invalid: a tie with confidence 0, flagged.</li>
 * </ul>
 * Only the first case counts as position-consistent ({@link PositionConsistency}).
 */
public final class BothOrders {

    private BothOrders() {
    }

    /** @param ab the answer with the pair's order shown; {@code ba} the one with the specs swapped */
    public static JudgeResult combine(OrderAnswer ab, OrderAnswer ba, ObjectNode extra) {
        if (ab.swapped() || !ba.swapped()) {
            throw new IllegalArgumentException("expected the AB answer first and the BA answer second");
        }
        if (!ab.isValid() || !ba.isValid()) {
            String why = !ab.isValid() ? "order AB: " + ab.problem() : "order BA: " + ba.problem();
            return new JudgeResult(Verdict.TIE, 0, "no usable answer (" + why + ")", true, false, ab, ba, extra);
        }
        Verdict x = ab.verdict();
        Verdict y = ba.verdict();
        if (x == y) {
            return new JudgeResult(x, (ab.confidence() + ba.confidence()) / 2, ab.rationale(), false, true, ab, ba,
                    extra);
        }
        if (x != Verdict.TIE && y != Verdict.TIE) {
            return new JudgeResult(Verdict.TIE, 0, "the two presentation orders disagree (AB: " + x.code()
                    + ", BA: " + y.code() + "): treated as a tie", true, false, ab, ba, extra);
        }
        OrderAnswer decided = x != Verdict.TIE ? ab : ba;
        return new JudgeResult(decided.verdict(), decided.confidence() / 2, decided.rationale()
                + " (the other order said tie)", true, false, ab, ba, extra);
    }
}
