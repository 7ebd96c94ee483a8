package org.personalab.judge;

import java.util.List;

/**
 * How often a judge named the same winner in both presentation orders of a pair, over the pairs where both answers
 * were valid; with a Wilson 95 % interval. Also the share of all valid answers that picked whichever spec was shown
 * first ("first-position rate"): 0.5 plus or minus noise for an unbiased judge, 1.0 for one that always says "A".
 *
 * @param pairs           pairs with two valid answers
 * @param consistent      of those, pairs whose orders agreed
 * @param rate            consistent / pairs with its interval
 * @param firstPosition   answers naming the first-shown spec / answers naming a winner
 * @param invalidAnswers  answers that could not be used
 */
public record PositionConsistency(int pairs, int consistent, Interval rate, Interval firstPosition,
        int invalidAnswers) {

    /** From the order answers of each judgment (two per judgment; judgments with fewer are skipped). */
    public static PositionConsistency of(List<List<OrderAnswer>> judgments) {
        int pairs = 0;
        int consistent = 0;
        int decided = 0;
        int first = 0;
        int invalid = 0;
        for (List<OrderAnswer> orders : judgments) {
            for (OrderAnswer o : orders) {
                if (!o.isValid()) {
                    invalid++;
                } else if (o.shownWinner() != Verdict.TIE) {
                    decided++;
                    first += o.shownWinner() == Verdict.A ? 1 : 0;
                }
            }
            if (orders.size() == 2 && orders.get(0).isValid() && orders.get(1).isValid()) {
                pairs++;
                consistent += orders.get(0).verdict() == orders.get(1).verdict() ? 1 : 0;
            }
        }
        return new PositionConsistency(pairs, consistent, Interval.wilson(consistent, pairs),
                Interval.wilson(first, decided), invalid);
    }
}
