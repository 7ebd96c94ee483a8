package org.personalab.eval;

/**
 * Reference answerers shown beside every model, so that nobody mistakes chance for alignment. Each is evaluated on
 * the same people with exactly the same metrics as an agent. The data-driven ones are estimated without the person
 * they predict (see {@link Baselines}).
 */
public enum Baseline {
    /**
     * Every option equally likely on every item. Item metrics are exact expectations against the person's actual
     * answers (exact accuracy is 0.2 exactly; within-one and MAD depend on how extreme the person's answers are);
     * scale metrics (scores, levels) are Monte Carlo means over random answer sheets.
     */
    UNIFORM_RANDOM("uniform_random", "Uniform random (chance)"),
    /** Everyone answers each item with the population's most common answer to it. */
    POPULATION_MODE("population_mode", "Population item mode"),
    /**
     * Each item answered with the mean answer of the person's norm group (their sex × age cohort or the wider group
     * they are placed with), rounded half up to the nearest option — one answer sheet, scored like an agent's.
     */
    COHORT_MEAN("cohort_mean", "Cohort mean per item"),
    /**
     * Profile-only ceiling: each item answered with the most likely raw answer of people at the person's true level
     * of the item's facet ({@link org.personalab.profile.ItemLevelModel#mode}) — the best exact accuracy that the
     * 30 facet levels (all a spec states) support.
     */
    PROFILE_MODE("profile_mode", "Profile ceiling (level mode)"),
    /**
     * Profile-only ceiling with the level's median answer ({@link org.personalab.profile.ItemLevelModel#median}),
     * which minimises the expected absolute difference: the best MAD the levels support.
     */
    PROFILE_MEDIAN("profile_median", "Profile ceiling (level median)");

    private final String key;
    private final String label;

    Baseline(String key, String label) {
        this.key = key;
        this.label = label;
    }

    /** Stable key, e.g. {@code uniform_random}; the summary's source is {@code baseline:KEY}. */
    public String key() {
        return key;
    }

    public String label() {
        return label;
    }

    /** The summary source name of this baseline. */
    public String source() {
        return "baseline:" + key;
    }
}
