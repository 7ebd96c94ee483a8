package org.personalab.eval;

/**
 * The per-agent metrics of an evaluation, in CSV column order. Accuracies, agreements and rates are fractions in
 * [0, 1] (never percentages); item differences are in answer points on the 1..5 scale (0–4) and score differences in
 * score points (facet and domain scores are means of 1..5 answers, so also 0–4). A metric that cannot be computed
 * for an agent (nothing to compare, inventory without the items) is NaN and written as an empty cell.
 *
 * <p>Missing answers (0: unparseable, refused, failed, or not given by the person) are excluded from every item
 * metric, never scored as a value: the seed code scored them as 0 and so inflated the differences.
 */
public enum Metric {
    EXACT_ACCURACY("exact_accuracy", Unit.FRACTION, Direction.HIGHER,
            "share of the items answered by both where the agent chose the person's option (chance: 0.2)"),
    WITHIN_ONE_ACCURACY("within_one_accuracy", Unit.FRACTION, Direction.HIGHER,
            "share of the items answered by both where the agent's option is at most one step from the person's"),
    MAD("mad", Unit.ANSWER_POINTS, Direction.LOWER,
            "mean |agent - person| over the items answered by both, in answer points (0-4)"),
    FACET_SCORE_MAD("facet_score_mad", Unit.SCORE_POINTS, Direction.LOWER,
            "mean |agent - person| facet score over the facets scored on both sides (0-4)"),
    DOMAIN_SCORE_MAD("domain_score_mad", Unit.SCORE_POINTS, Direction.LOWER,
            "mean |agent - person| domain score over the domains scored on both sides (0-4)"),
    FACET_LEVEL_AGREEMENT("facet_level_agreement", Unit.FRACTION, Direction.HIGHER,
            "share of the facets where the agent's level (its answers scored and placed with the person's norm "
                    + "group) equals the person's level"),
    DOMAIN_LEVEL_AGREEMENT("domain_level_agreement", Unit.FRACTION, Direction.HIGHER,
            "share of the domains where the agent's level equals the person's level"),
    PAPI_ALIGNED_N("papi_aligned_n", Unit.ANSWER_POINTS, Direction.LOWER,
            "PAPI aligned score, Neuroticism: mean |agent - person| over its held-out IPIP-300 items"),
    PAPI_ALIGNED_E("papi_aligned_e", Unit.ANSWER_POINTS, Direction.LOWER,
            "PAPI aligned score, Extraversion"),
    PAPI_ALIGNED_O("papi_aligned_o", Unit.ANSWER_POINTS, Direction.LOWER,
            "PAPI aligned score, Openness"),
    PAPI_ALIGNED_A("papi_aligned_a", Unit.ANSWER_POINTS, Direction.LOWER,
            "PAPI aligned score, Agreeableness"),
    PAPI_ALIGNED_C("papi_aligned_c", Unit.ANSWER_POINTS, Direction.LOWER,
            "PAPI aligned score, Conscientiousness"),
    PAPI_COMPOSITE("papi_composite", Unit.ANSWER_POINTS_SUM, Direction.LOWER,
            "PAPI composite: the sum of the five aligned scores (0-20; the paper's Table 1)"),
    ANSWERED_RATE("answered_rate", Unit.FRACTION, Direction.HIGHER,
            "share of the inventory's items the agent answered with a usable option"),
    MISSING_RATE("missing_rate", Unit.FRACTION, Direction.LOWER,
            "share of the inventory's items without a usable answer from the agent (1 - answered_rate)"),
    UNPARSEABLE_RATE("unparseable_rate", Unit.FRACTION, Direction.LOWER,
            "share of the agent's stored answers that were replies without a final answer (models only)"),
    REFUSAL_RATE("refusal_rate", Unit.FRACTION, Direction.LOWER,
            "share of the agent's stored answers where the model declined (models only)");

    /** What a metric's numbers are. */
    public enum Unit {
        /** A share in [0, 1]. */
        FRACTION("fraction"),
        /** Absolute difference of two answers on the 1..5 scale: 0..4. */
        ANSWER_POINTS("answer points 0-4"),
        /** Absolute difference of two facet or domain scores (means of 1..5 answers): 0..4. */
        SCORE_POINTS("score points 0-4"),
        /** The sum of the five domains' mean answer-point differences: 0..20. */
        ANSWER_POINTS_SUM("sum of 5 domains' answer points 0-20");

        private final String label;

        Unit(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Which way is better. */
    public enum Direction {
        HIGHER, LOWER
    }

    public static final int COUNT = values().length;

    private final String column;
    private final Unit unit;
    private final Direction direction;
    private final String description;

    Metric(String column, Unit unit, Direction direction, String description) {
        this.column = column;
        this.unit = unit;
        this.direction = direction;
        this.description = description;
    }

    /** CSV column and JSON key, e.g. {@code exact_accuracy}. */
    public String column() {
        return column;
    }

    public Unit unit() {
        return unit;
    }

    public Direction direction() {
        return direction;
    }

    public String description() {
        return description;
    }

    /** The PAPI aligned-score metric of a domain (0 = N … 4 = C). */
    public static Metric papiAligned(int domain) {
        return values()[PAPI_ALIGNED_N.ordinal() + domain];
    }

    /** The metric with this column name. */
    public static Metric ofColumn(String column) {
        for (Metric m : values()) {
            if (m.column.equals(column)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + column + "'");
    }
}
