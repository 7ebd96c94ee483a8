package org.personalab.eval;

/**
 * Per-scale (facet or domain) quantities kept for every agent, the cells of the heatmap "rows = runs and baselines,
 * columns = facets and domains". NaN where the agent or the person has no score (or level) on the scale.
 */
public enum ScaleMetric {
    /** 1 when the agent's level equals the person's, 0 when not: averaged over agents it is the agreement rate. */
    LEVEL_AGREEMENT("level_agreement", Metric.Unit.FRACTION, Metric.Direction.HIGHER),
    /** |agent score - person score| in score points. */
    SCORE_ABS_DIFF("score_abs_diff", Metric.Unit.SCORE_POINTS, Metric.Direction.LOWER),
    /** agent score - person score (signed: positive = the agent scores higher than the person). */
    SCORE_DIFF("score_diff", Metric.Unit.SCORE_POINTS, Metric.Direction.LOWER);

    private final String key;
    private final Metric.Unit unit;
    private final Metric.Direction direction;

    ScaleMetric(String key, Metric.Unit unit, Metric.Direction direction) {
        this.key = key;
        this.unit = unit;
        this.direction = direction;
    }

    /** JSON key and CSV column prefix. */
    public String key() {
        return key;
    }

    public Metric.Unit unit() {
        return unit;
    }

    /** Which way is better; for the signed difference, nearer zero is better and LOWER refers to its magnitude. */
    public Metric.Direction direction() {
        return direction;
    }

    public static ScaleMetric ofKey(String key) {
        for (ScaleMetric m : values()) {
            if (m.key.equals(key) || m.name().equalsIgnoreCase(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown scale metric '" + key + "'");
    }
}
