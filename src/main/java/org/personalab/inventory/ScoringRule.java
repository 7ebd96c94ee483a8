package org.personalab.inventory;

/**
 * How facet and domain scores are computed.
 * <ul>
 * <li>A facet score is the mean of the facet's answered items, after reversing negatively keyed items (6 - x) when
 * the data are raw. An answer of 0 is missing and never counts as a value.</li>
 * <li>A facet is scored only when at least {@code minAnsweredPerFacet} of its items are answered (default: 3 of the 4
 * items of the IPIP-NEO-120, 8 of the 10 of the IPIP-NEO-300, i.e. at most 25 % missing). Otherwise the facet has no
 * score (NaN) and no level.</li>
 * <li>A domain score is the mean of its 6 facet scores and exists only when all 6 facets are scored.</li>
 * </ul>
 *
 * @param minAnsweredFraction the smallest fraction of a facet's items that must be answered, in (0, 1]
 */
public record ScoringRule(double minAnsweredFraction) {

    public static final ScoringRule DEFAULT = new ScoringRule(0.75);

    public ScoringRule {
        if (!(minAnsweredFraction > 0 && minAnsweredFraction <= 1)) {
            throw new IllegalArgumentException("minAnsweredFraction must be in (0, 1], got " + minAnsweredFraction);
        }
    }

    /** Items that must be answered in a facet of {@code itemsInFacet} items. */
    public int minAnswered(int itemsInFacet) {
        return (int) Math.ceil(minAnsweredFraction * itemsInFacet - 1e-9);
    }

    public String describe() {
        return String.format("facet = mean of answered items (negatively keyed reversed 6-x); a facet needs at least "
                + "%.0f%% of its items answered (3 of 4 in the IPIP-NEO-120, 8 of 10 in the IPIP-NEO-300 at the default)"
                + "; domain = mean of its 6 facets, only when all 6 are scored; 0 = missing", minAnsweredFraction * 100);
    }
}
