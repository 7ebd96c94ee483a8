package org.personalab.cluster;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which columns a clustering is computed on, and how they are scaled.
 *
 * <ul>
 * <li>{@code items}: the item answers as stored raw (agreement with the printed statement) or keyed (trait-aligned),
 * or none. A missing answer is replaced by the item's mean over the people who answered it.</li>
 * <li>{@code sex}: one column, 1 = female, 0 = male; unknown sex gets the share of women among the known.</li>
 * <li>{@code age}: age in years; unknown age (0) gets the mean known age.</li>
 * <li>{@code country}: one-hot columns for the {@code topCountries} most frequent countries (ties by name) plus one
 * column for every other country, blank included.</li>
 * <li>{@code scores}: facet and/or domain scores (1..5); a missing score gets the scale's mean.</li>
 * <li>{@code standardize}: each column becomes (value − mean) / standard deviation (population, as scikit-learn's
 * StandardScaler; a constant column is only centred).</li>
 * </ul>
 */
public record FeatureSpec(Items items, boolean sex, boolean age, boolean country, int topCountries, Scores scores,
        boolean standardize) {

    /** Item answers: none, as agreement with the statement, or trait-aligned. */
    public enum Items {
        NONE, RAW, KEYED
    }

    /** Scale scores added as features. */
    public enum Scores {
        NONE, DOMAINS, FACETS, ALL
    }

    /** The seed paper's choice (answers, sex, age, country) with the country kept: 120 + 1 + 1 + 5 = 127 columns. */
    public static final FeatureSpec DEFAULT = new FeatureSpec(Items.KEYED, true, true, true, 4, Scores.NONE, true);

    public FeatureSpec {
        if (items == null || scores == null) {
            throw new IllegalArgumentException("items and scores must be given");
        }
        if (topCountries < 0 || topCountries > 500) {
            throw new IllegalArgumentException("top countries must be 0..500, got " + topCountries);
        }
        if (items == Items.NONE && !sex && !age && !country && scores == Scores.NONE) {
            throw new IllegalArgumentException("no features chosen: use items, sex, age, country or scores");
        }
    }

    /** Parameters as a JSON-ready map (stored with every clustering). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", items.name().toLowerCase(Locale.ROOT));
        m.put("sex", sex);
        m.put("age", age);
        m.put("country", country);
        m.put("topCountries", topCountries);
        m.put("scores", scores.name().toLowerCase(Locale.ROOT));
        m.put("standardize", standardize);
        m.put("missing", "mean of the known values of the column");
        return m;
    }

    /** Reads back what {@link #toMap()} wrote. */
    public static FeatureSpec fromMap(Map<String, ?> m) {
        return new FeatureSpec(Items.valueOf(str(m, "items").toUpperCase(Locale.ROOT)), bool(m, "sex"),
                bool(m, "age"), bool(m, "country"), ((Number) m.get("topCountries")).intValue(),
                Scores.valueOf(str(m, "scores").toUpperCase(Locale.ROOT)), bool(m, "standardize"));
    }

    private static String str(Map<String, ?> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("feature spec lacks '" + key + "'");
        }
        return v.toString();
    }

    private static boolean bool(Map<String, ?> m, String key) {
        return Boolean.parseBoolean(str(m, key));
    }

    /** One line for people: "items keyed, sex, age, country (top 4 + other), standardized". */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (items != Items.NONE) {
            sb.append("items ").append(items.name().toLowerCase(Locale.ROOT));
        }
        if (sex) {
            sb.append(sb.isEmpty() ? "" : ", ").append("sex");
        }
        if (age) {
            sb.append(sb.isEmpty() ? "" : ", ").append("age");
        }
        if (country) {
            sb.append(sb.isEmpty() ? "" : ", ").append("country (top ").append(topCountries).append(" + other)");
        }
        if (scores != Scores.NONE) {
            sb.append(sb.isEmpty() ? "" : ", ").append(scores.name().toLowerCase(Locale.ROOT)).append(" scores");
        }
        sb.append(standardize ? ", standardized" : ", unscaled");
        return sb.toString();
    }
}
