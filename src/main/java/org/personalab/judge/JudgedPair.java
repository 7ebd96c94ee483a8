package org.personalab.judge;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A stored judgment as review sees it: the pair, the judge's verdict with both order answers, the overrides (reverted
 * ones included, oldest first) and who has flagged it.
 *
 * @param judgeFlagged the judge was unsure (orders disagreed, or an answer was invalid)
 * @param flaggedBy    annotators whose flag on it stands
 */
public record JudgedPair(long id, long runId, SpecPair pair, String judge, Verdict judgeVerdict, double confidence,
        String rationale, boolean judgeFlagged, List<OrderAnswer> orders, List<VerdictOverride> overrides,
        Set<String> flaggedBy) {

    public JudgedPair {
        Objects.requireNonNull(pair, "pair");
        Objects.requireNonNull(judgeVerdict, "judgeVerdict");
        orders = List.copyOf(orders);
        overrides = List.copyOf(overrides);
        flaggedBy = Set.copyOf(flaggedBy);
    }

    /** The verdict in force ({@link ReviewState#effective}). */
    public Verdict effective() {
        return ReviewState.effective(judgeVerdict, overrides);
    }

    /** Whether an annotator's override decides it. */
    public boolean overridden() {
        return ReviewState.overridden(overrides);
    }

    /** The annotator's standing label, or null. */
    public Verdict labelOf(String annotator) {
        return ReviewState.labelOf(annotator, overrides);
    }

    public ReviewState.Queue queue(String annotator) {
        return ReviewState.queue(annotator, overrides, judgeFlagged, flaggedBy.contains(annotator));
    }

    /** Whether both presentation orders were valid and agreed. */
    public boolean consistent() {
        return orders.size() == 2 && orders.get(0).isValid() && orders.get(1).isValid()
                && orders.get(0).verdict() == orders.get(1).verdict();
    }
}
